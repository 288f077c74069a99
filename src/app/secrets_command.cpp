// `aop secrets check`: after a restore or a key change, tells whether every stored secret
// decrypts with the configured key. Prints counts only, never a value.
#include <iostream>

#include "app/commands.hpp"
#include "app/database_setup.hpp"
#include "app/master_key.hpp"
#include "crews/secret_box.hpp"
#include "crews/secret_store.hpp"

namespace aop::app {

int secrets_check_command(const core::Config& config) {
  core::BlockingPool pool(1);
  auto db = open_configured_database(config, pool);
  if (!db) return 1;
  try {
    crews::SecretCheck check;
    std::size_t stored = 0;
    db->with_reader([&](store::Connection& c) {
      stored = static_cast<std::size_t>(c.query("SELECT COUNT(*) FROM secrets").front().i64(0));
    });
    if (stored == 0) {
      std::cout << "no secrets are stored\n";
      return 0;
    }
    crews::SecretBox box(master_secret_key(config, false));
    db->with_reader([&](store::Connection& c) { check = crews::check_secrets(c, box, std::nullopt); });
    if (check.unreadable == 0) {
      std::cout << check.checked << " secret(s) checked; all decrypt with the configured key\n";
      return 0;
    }
    std::cerr << "aop: " << check.unreadable << " of " << check.checked
              << " secret(s) cannot be decrypted with the configured key (secret_key / AOP_SECRET_KEY, else "
                 "<data_dir>/secret_key): they were stored under another key or altered\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "aop: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace aop::app
