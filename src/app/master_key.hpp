#pragma once
// The master key that seals secrets at rest: the secret_key setting (AOP_SECRET_KEY), else
// <data_dir>/secret_key, generated at first start with mode 0600. Losing it makes every
// stored secret unreadable; see docs/operations.md.
#include <string>

#include "core/config.hpp"

namespace aop::store {
class Database;
}
namespace aop::crews {
class SecretBox;
}

namespace aop::app {

// The 32 key bytes. `create`: generate the file when it is missing (the server); otherwise a
// missing file is an error (`aop secrets check` must not invent a key). Throws
// std::runtime_error naming the file or the setting, never the key.
std::string master_secret_key(const core::Config& config, bool create);

// Start-up check: tries the most recently changed secrets and logs a warning when some do not
// decrypt (the server was started with another key). Never fails the start-up.
void warn_about_unreadable_secrets(store::Database& db, const crews::SecretBox& box);

}  // namespace aop::app
