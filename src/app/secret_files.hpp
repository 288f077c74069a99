#pragma once
// Secrets generated at first start and kept in the data directory with mode 0600.
#include <string>

namespace aop::app {

// Returns the contents of <data_dir>/<name>, creating it with `random_bytes` of fresh
// randomness (base64url) when missing. Throws std::runtime_error on I/O failure or when
// the file is readable by others.
std::string load_or_create_secret(const std::string& data_dir, const std::string& name, std::size_t random_bytes);

}  // namespace aop::app
