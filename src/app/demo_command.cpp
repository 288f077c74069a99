// `aop demo`: what `make run` does before starting the server. On a fresh installation it
// creates a demo administrator (password generated, kept in <data_dir>/demo-login.txt with
// mode 0600) and the demo crews in the default team, then says how to log in. Running it
// again changes nothing.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/commands.hpp"
#include "app/database_setup.hpp"
#include "auth/audit.hpp"
#include "auth/user_store.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "crews/demo_crews.hpp"
#include "teams/team_store.hpp"

namespace aop::app {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_demo_email = "demo@example.com";

fs::path login_file(const core::Config& config) { return fs::path(config.data_dir) / "demo-login.txt"; }

void write_private_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
  out.close();
  ::chmod(path.c_str(), 0600);
}

}  // namespace

int demo_command(const core::Config& config) {
  return with_migrated_database(config, [&](store::Database& db) {
    auto now = core::system_clock().now_ms();
    std::optional<std::string> new_password;
    std::string team_name;
    int crews_created = 0;
    // Hash outside the transaction: Argon2 takes a while and a writer should not wait on it.
    std::int64_t users = 0;
    db.with_reader([&](store::Connection& c) { users = auth::count_users(c); });
    std::string password, hash;
    if (users == 0) {
      password = core::random_token(12);
      hash = core::hash_password(password);
    }
    db.with_transaction([&](store::Connection& c) {
      if (!hash.empty() && auth::count_users(c) == 0) {
        auth::User u;
        u.id = core::new_id();
        u.email = k_demo_email;
        u.name = "Demo admin";
        u.password_hash = hash;
        u.role = "admin";
        u.created_at = u.updated_at = now;
        auth::insert_user(c, u);
        teams::create_team(c, "Default team", u.id, now);
        auto audit = auth::audit_by(nullptr, "user.create", "cli");
        audit.target_type = "user";
        audit.target_id = u.id;
        audit.details = {{"role", u.role}, {"via", "demo"}};
        auth::record_audit(c, audit, now);
        new_password = password;
      }
      auto all = teams::list_all_teams(c);
      if (all.empty()) return;  // users but no team: nothing to put crews in
      team_name = all.front().name;
      crews_created = crews::seed_demo_crews(c, all.front().id, now);
    });
    if (new_password)
      write_private_file(login_file(config), std::string("email: ") + k_demo_email + "\npassword: " + *new_password + "\n");
    if (crews_created > 0)
      std::cout << "Created " << crews_created << " demo crews in \"" << team_name
                << "\" (they run on the simulated model).\n";
    std::error_code ec;
    if (fs::exists(login_file(config), ec)) {
      std::ifstream in(login_file(config));
      std::string email_line, password_line;
      std::getline(in, email_line);
      std::getline(in, password_line);
      std::cout << "Demo login (from " << login_file(config).string() << "):\n  " << email_line << "\n  "
                << password_line << "\n";
    }
    return 0;
  });
}

}  // namespace aop::app
