// `aop user create` and `aop user reset-password`: account administration from the shell,
// e.g. to create the first administrator on a server without self-registration.
#include <iostream>
#include <string>

#include "app/commands.hpp"
#include "app/database_setup.hpp"
#include "auth/audit.hpp"
#include "auth/policy.hpp"
#include "auth/session_store.hpp"
#include "auth/user_store.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "teams/team_store.hpp"

namespace aop::app {

namespace {

std::string read_password(std::istream& in) {
  std::string password;
  std::getline(in, password);
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) password.pop_back();
  return password;
}

bool valid_password(const std::string& password) {
  if (password.size() < 8 || password.size() > 1024) {
    std::cerr << "aop: the password must be 8 to 1024 characters\n";
    return false;
  }
  return true;
}

}  // namespace

int user_create_command(const core::Config& config, const UserCommandOptions& options, std::istream& in) {
  auto email = auth::normalize_email(options.email);
  if (!email) {
    std::cerr << "aop: --email \"" << options.email << "\" is not a valid email address\n";
    return 2;
  }
  if (!auth::is_platform_role(options.role)) {
    std::cerr << "aop: --role must be admin, developer or viewer\n";
    return 2;
  }
  if (!options.password_stdin) {
    std::cerr << "aop: pass the password on standard input with --password-stdin\n";
    return 2;
  }
  auto password = read_password(in);
  if (!valid_password(password)) return 2;

  return with_migrated_database(config, [&](store::Database& db) {
    auto hash = core::hash_password(password);
    auto now = core::system_clock().now_ms();
    bool created = false;
    db.with_transaction([&](store::Connection& c) {
      if (auth::find_user_by_email(c, *email)) return;
      auth::User u;
      u.id = core::new_id();
      u.email = *email;
      u.name = options.name.empty() ? email->substr(0, email->find('@')) : options.name;
      u.password_hash = hash;
      u.role = options.role;
      u.created_at = u.updated_at = now;
      auth::insert_user(c, u);
      // Join the oldest team, or found the default team when there is none yet.
      auto all = teams::list_all_teams(c);
      if (all.empty()) teams::create_team(c, "Default team", u.id, now);
      else teams::upsert_member(c, all.front().id, u.id, "member", now);
      auto audit = auth::audit_by(nullptr, "user.create", "cli");
      audit.target_type = "user";
      audit.target_id = u.id;
      audit.details = {{"role", u.role}, {"via", "cli"}};
      auth::record_audit(c, audit, now);
      created = true;
    });
    if (!created) {
      std::cerr << "aop: a user with email " << *email << " already exists\n";
      return 1;
    }
    std::cout << "created " << options.role << " " << *email << "\n";
    return 0;
  });
}

int user_reset_password_command(const core::Config& config, const UserCommandOptions& options, std::istream& in) {
  auto email = auth::normalize_email(options.email);
  if (!email) {
    std::cerr << "aop: --email \"" << options.email << "\" is not a valid email address\n";
    return 2;
  }
  if (!options.password_stdin) {
    std::cerr << "aop: pass the new password on standard input with --password-stdin\n";
    return 2;
  }
  auto password = read_password(in);
  if (!valid_password(password)) return 2;
  return with_migrated_database(config, [&](store::Database& db) {
    auto hash = core::hash_password(password);
    auto now = core::system_clock().now_ms();
    bool found = false;
    db.with_transaction([&](store::Connection& c) {
      auto u = auth::find_user_by_email(c, *email);
      if (!u) return;
      u->password_hash = hash;
      u->updated_at = now;
      auth::update_user(c, *u);
      auth::revoke_user_sessions(c, u->id, now);  // every session must log in again
      auto audit = auth::audit_by(nullptr, "user.password_reset", "cli");
      audit.target_type = "user";
      audit.target_id = u->id;
      auth::record_audit(c, audit, now);
      found = true;
    });
    if (!found) {
      std::cerr << "aop: no user with email " << *email << "\n";
      return 1;
    }
    std::cout << "password reset for " << *email << "; their sessions were ended\n";
    return 0;
  });
}

}  // namespace aop::app
