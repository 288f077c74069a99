#include "app/master_key.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <stdexcept>

#include "app/secret_files.hpp"
#include "core/secret_key.hpp"
#include "crews/secret_store.hpp"
#include "store/database.hpp"

namespace aop::app {

namespace {
constexpr std::size_t k_startup_sample = 20;  // enough to notice a wrong key, cheap at start-up
}

std::string master_secret_key(const core::Config& config, bool create) {
  if (!config.secret_key.empty()) return config.secret_key;
  auto path = std::filesystem::path(config.data_dir) / "secret_key";
  if (!create && !std::filesystem::exists(path))
    throw std::runtime_error("no secret key: set AOP_SECRET_KEY, or run this where " + path.string() + " exists");
  auto text = load_or_create_secret(config.data_dir, "secret_key", core::k_secret_key_bytes);
  auto key = core::parse_secret_key(text);
  if (!key)
    throw std::runtime_error(path.string() + " does not hold a secret key (32 bytes as base64url or 64 hex digits)");
  return std::move(*key);
}

void warn_about_unreadable_secrets(store::Database& db, const crews::SecretBox& box) {
  crews::SecretCheck check;
  try {
    db.with_reader([&](store::Connection& c) { check = crews::check_secrets(c, box, k_startup_sample); });
  } catch (const std::exception& e) {
    spdlog::warn("could not check that stored secrets decrypt: {}", e.what());
    return;
  }
  if (check.unreadable == 0) return;
  spdlog::warn(
      "{} of the {} most recently changed secrets cannot be decrypted with the configured secret key "
      "(secret_key / AOP_SECRET_KEY, else <data_dir>/secret_key): they were stored under another key. Runs that "
      "need them will fail until the original key is restored; `aop secrets check` tests every secret.",
      check.unreadable, check.checked);
}

}  // namespace aop::app
