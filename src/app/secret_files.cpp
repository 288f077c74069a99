#include "app/secret_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/crypto.hpp"

namespace aop::app {

std::string load_or_create_secret(const std::string& data_dir, const std::string& name, std::size_t random_bytes) {
  auto path = (std::filesystem::path(data_dir) / name).string();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd >= 0) {
    std::string secret = core::random_token(random_bytes);
    bool ok = ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size());
    ok = ::fsync(fd) == 0 && ok;
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot write " + path);
    return secret;
  }
  if (errno != EEXIST) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  struct stat st{};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
    throw std::runtime_error(path + " is readable by other users; run chmod 600 on it");
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string secret = ss.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.size() < 32) throw std::runtime_error(path + " holds a secret shorter than 32 characters");
  return secret;
}

}  // namespace aop::app
