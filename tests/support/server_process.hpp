#pragma once
// Integration-test harness: runs the real `aop` binary (AOP_BIN) as a child process.
//
//   ServerProcess server;                         // `aop serve` on a free port, fresh data dir
//   auto r = server.get("/healthz");              // blocking HTTP (support/http_client.hpp)
//   server.restart();                             // same data dir and database
//   auto cli = run_aop({"migrate", "--data-dir", dir});   // one-shot CLI commands
//
// Each ServerProcess owns a temp directory (data/, web/, swagger/, server.log, port file), runs
// with that directory as its working directory (so no ./aop.yaml or ./web leaks in), with
// inherited AOP_* variables removed, and with the database chosen by AOP_TEST_DB (see
// scratch_database.hpp). Harness-owned settings (do not pass them again: the CLI rejects a
// repeated flag): --port 0, --port-file, --data-dir. Defaults a
// test may override through ServerOptions::args (--flag) or ::env (AOP_*): --web-dir and
// --swagger-dir (empty directories) and --database-url (PostgreSQL runs).
//
// The destructor stops the server with SIGTERM and records a test failure if it did not exit
// with code 0, or if it had died during the test on its own (a crash). Once a test calls
// terminate(), kill9() or wait_exit(), judging the exit is up to the test.
// A test that passes its own --database-url gets that database; database() then still names
// the (unused) scratch database the harness created.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/scratch_database.hpp"
#include "support/temp_dir.hpp"

namespace aop::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The binary under test: $AOP_BIN, else the path compiled in as AOP_TEST_DEFAULT_BIN (if the
// build defines it).
inline std::filesystem::path aop_binary() {
  const char* bin = std::getenv("AOP_BIN");
#ifdef AOP_TEST_DEFAULT_BIN
  if (!bin || !*bin) bin = AOP_TEST_DEFAULT_BIN;
#endif
  if (!bin || !*bin)
    throw HarnessError("AOP_BIN is not set: run through ctest, or set AOP_BIN=build/release/aop");
  std::filesystem::path path = std::filesystem::absolute(bin);
  if (::access(path.c_str(), X_OK) != 0)
    throw HarnessError("AOP_BIN=" + path.string() + " is not an executable file");
  return path;
}

// The repository root: $AOP_SOURCE_DIR, else AOP_TEST_DEFAULT_SOURCE_DIR (if defined).
inline std::filesystem::path source_dir() {
  const char* dir = std::getenv("AOP_SOURCE_DIR");
#ifdef AOP_TEST_DEFAULT_SOURCE_DIR
  if (!dir || !*dir) dir = AOP_TEST_DEFAULT_SOURCE_DIR;
#endif
  if (!dir || !*dir) throw HarnessError("AOP_SOURCE_DIR is not set: run through ctest, or set it to the repository root");
  return dir;
}

// The last `max_bytes` of `text`, for failure messages.
inline std::string tail(const std::string& text, std::size_t max_bytes = 8000) {
  if (text.size() <= max_bytes) return text;
  return "[... " + std::to_string(text.size() - max_bytes) + " bytes cut ...]\n" + text.substr(text.size() - max_bytes);
}

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal or by the timeout
  ExitStatus status;
  bool timed_out = false;
  std::string stdout_text;
  std::string stderr_text;

  std::string describe() const {
    return (timed_out ? std::string("timed out; ") : std::string()) + status.describe() + "\n--- stdout:\n" +
           tail(stdout_text) + "--- stderr:\n" + tail(stderr_text);
  }
};

// Runs `aop <args...>` to completion in a fresh temporary working directory, with inherited AOP_*
// variables removed and `env` added. Kills it after `timeout`.
inline CommandResult run_aop(const std::vector<std::string>& args, const EnvVars& env = {},
                             std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  TempDir dir("aop-cli-");
  SpawnOptions options;
  options.argv.push_back(aop_binary().string());
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.env = env;
  options.cwd = dir.path();
  options.stdout_path = dir / "stdout";
  options.stderr_path = dir / "stderr";
  ChildProcess child(options);
  CommandResult result;
  auto status = child.wait(timeout);
  if (!status) {
    result.timed_out = true;
    child.signal(SIGKILL);
    status = child.wait(std::chrono::seconds(10));
  }
  if (status) {
    result.status = *status;
    if (status->exited && !result.timed_out) result.exit_code = status->code;
  }
  result.stdout_text = read_file(dir / "stdout");
  result.stderr_text = read_file(dir / "stderr");
  return result;
}

struct ServerOptions {
  std::vector<std::string> args;  // extra arguments after `serve` (e.g. {"--max-body-bytes", "1024"})
  EnvVars env;                    // extra environment (e.g. {{"AOP_LOG_FORMAT", "json"}})
  bool wait_until_healthy = true;  // false: return right after spawning
  std::chrono::milliseconds start_timeout{10000};

  // ServerProcess server(ServerOptions::with_args({"--max-body-bytes", "1024"}));
  static ServerOptions with_args(std::vector<std::string> args, EnvVars env = {}) {
    ServerOptions o;
    o.args = std::move(args);
    o.env = std::move(env);
    return o;
  }
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options = {})
      : options_(std::move(options)), dir_("aop-it-"), database_(dir_ / "data") {
    std::filesystem::create_directories(web_dir());
    std::filesystem::create_directories(swagger_dir());
    start();
  }

  ~ServerProcess() {
    if (auto status = child_.try_wait()) {
      if (!exit_expected_)
        ADD_FAILURE() << "the server exited during the test (" << status->describe()
                      << ") without the test expecting it\n"
                      << diagnostics();
      return;
    }
    if (!child_.running()) return;
    if (!exit_expected_) child_.signal(SIGTERM);
    auto status = child_.wait(std::chrono::seconds(15));
    if (!status) {
      child_.signal(SIGKILL);
      child_.wait(std::chrono::seconds(10));
      ADD_FAILURE() << "the server did not exit within 15 s of SIGTERM; killed it\n" << diagnostics();
    } else if (!status->success() && !exit_expected_) {
      ADD_FAILURE() << "the server ended with " << status->describe() << " after SIGTERM (expected exit code 0)\n"
                    << diagnostics();
    }
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // --- where things are ------------------------------------------------------------------
  unsigned short port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path data_dir() const { return dir_ / "data"; }
  std::filesystem::path web_dir() const { return dir_ / "web"; }
  std::filesystem::path swagger_dir() const { return dir_ / "swagger"; }
  std::filesystem::path log_path() const { return dir_ / "server.log"; }
  std::filesystem::path stderr_path() const { return dir_ / "server.stderr.log"; }
  const std::string& database_url() const { return database_.url(); }
  const std::string& dialect() const { return database_.dialect(); }
  const ScratchDatabase& database() const { return database_; }
  pid_t pid() const { return child_.pid(); }
  // Time from spawning the process to the first 200 from /healthz (last start).
  std::chrono::duration<double, std::milli> startup_time() const { return startup_time_; }

  // --- output ----------------------------------------------------------------------------
  // The server's stdout (its log) since the first start; restarts append.
  std::string log() const { return read_file(log_path()); }
  // The part of the log written since the latest (re)start.
  std::string log_since_start() const {
    auto all = log();
    return all.size() >= log_offset_ ? all.substr(log_offset_) : all;
  }
  std::string stderr_output() const { return read_file(stderr_path()); }
  // Logging is asynchronous: waits until the log contains `needle`.
  bool wait_for_log(const std::string& needle, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (log().find(needle) != std::string::npos) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  // Log and stderr, for failure messages.
  std::string diagnostics() const {
    return "--- server log (" + log_path().string() + "):\n" + tail(log()) + "--- server stderr:\n" +
           tail(stderr_output());
  }

  // --- HTTP ------------------------------------------------------------------------------
  HttpResult get(const std::string& target, const Headers& headers = {}) const {
    return http_request(port_, "GET", target, {}, headers);
  }
  HttpResult request(const std::string& method, const std::string& target, const std::string& body = {},
                     const Headers& headers = {}) const {
    return http_request(port_, method, target, body, headers);
  }

  // --- lifecycle -------------------------------------------------------------------------
  bool running() { return !child_.try_wait().has_value(); }
  // The options the next restart() uses: change args or env to restart differently (e.g. with
  // another AOP_SECRET_KEY) on the same data directory and database.
  ServerOptions& options_for_restart() { return options_; }
  // Sends `signal`; the test then owns the outcome (check it with wait_exit).
  void terminate(int signal = SIGTERM) {
    exit_expected_ = true;
    child_.signal(signal);
  }
  // Waits for the process to end; nullopt if it is still running after `timeout`.
  std::optional<ExitStatus> wait_exit(std::chrono::milliseconds timeout) {
    exit_expected_ = true;
    return child_.wait(timeout);
  }
  ExitStatus kill9() {
    terminate(SIGKILL);
    auto status = wait_exit(std::chrono::seconds(10));
    if (!status) throw HarnessError("the server survived SIGKILL for 10 s");
    return *status;
  }
  // Stops the server (SIGTERM, expecting exit code 0) if it runs, then starts it again on the
  // same data directory and database. The port changes.
  void restart() {
    if (auto status = child_.try_wait(); status && !exit_expected_)
      ADD_FAILURE() << "restart: the server had exited on its own (" << status->describe() << ")\n" << diagnostics();
    if (running()) {
      terminate(SIGTERM);
      auto status = wait_exit(std::chrono::seconds(15));
      if (!status) {
        kill9();
        ADD_FAILURE() << "restart: the server did not exit within 15 s of SIGTERM\n" << diagnostics();
      } else if (!status->success()) {
        ADD_FAILURE() << "restart: the server ended with " << status->describe() << "\n" << diagnostics();
      }
    }
    start();
  }

 private:
  bool overridden(const std::string& key) const {
    std::string flag = "--" + key;
    for (auto& c : flag) c = c == '_' ? '-' : c;
    std::string env = "AOP_" + key;
    for (auto& c : env) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const auto& a : options_.args)
      if (a == flag || a.starts_with(flag + "=")) return true;
    for (const auto& [k, v] : options_.env)
      if (k == env) return true;
    return false;
  }

  void start() {
    std::filesystem::remove(port_file());
    port_ = 0;
    exit_expected_ = false;
    log_offset_ = log().size();

    SpawnOptions spawn;
    spawn.argv = {aop_binary().string(), "serve", "--port", "0", "--port-file", port_file().string(),
                  "--data-dir", data_dir().string()};
    auto add = [&](const std::string& key, std::vector<std::string> flag_and_value) {
      if (!overridden(key)) spawn.argv.insert(spawn.argv.end(), flag_and_value.begin(), flag_and_value.end());
    };
    add("web_dir", {"--web-dir", web_dir().string()});
    add("swagger_dir", {"--swagger-dir", swagger_dir().string()});
    add("database_url", database_.cli_args());
    spawn.argv.insert(spawn.argv.end(), options_.args.begin(), options_.args.end());
    spawn.env = options_.env;
    spawn.cwd = dir();
    spawn.stdout_path = log_path();
    spawn.stderr_path = stderr_path();

    spawned_ = std::chrono::steady_clock::now();
    child_.spawn(spawn);
    if (options_.wait_until_healthy) wait_until_healthy();
  }

  std::filesystem::path port_file() const { return dir_ / "port"; }

 public:
  // Waits (up to ServerOptions::start_timeout from the spawn) for the port file and a 200 from
  // /healthz; throws HarnessError with the log if the server exits or the time runs out.
  // Called by the constructor and restart() unless ServerOptions::wait_until_healthy is false.
  void wait_until_healthy() {
    auto spawned = spawned_;
    auto deadline = spawned + options_.start_timeout;
    std::string last_error = "no port file yet";
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto status = child_.try_wait()) {
        exit_expected_ = true;
        throw HarnessError("the server exited during start-up with " + status->describe() + "\n" + diagnostics());
      }
      if (port_ == 0) {
        auto text = read_file(port_file());
        if (!text.empty() && text.back() == '\n') {
          int port = std::atoi(text.c_str());
          if (port <= 0 || port > 65535) throw HarnessError("port file holds \"" + text + "\"\n" + diagnostics());
          port_ = static_cast<unsigned short>(port);
        }
      }
      if (port_ != 0) {
        try {
          auto r = http_request(port_, "GET", "/healthz", {}, {}, "127.0.0.1", std::chrono::seconds(2));
          if (r.status == 200) {
            startup_time_ = std::chrono::steady_clock::now() - spawned;
            return;
          }
          last_error = "/healthz answered " + std::to_string(r.status);
        } catch (const std::exception& e) {
          last_error = std::string("/healthz: ") + e.what();
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    child_.signal(SIGKILL);
    child_.wait(std::chrono::seconds(10));
    exit_expected_ = true;
    throw HarnessError("the server did not become healthy within " + std::to_string(options_.start_timeout.count()) +
                       " ms (" + last_error + ")\n" + diagnostics());
  }

 private:
  ServerOptions options_;
  TempDir dir_;
  ScratchDatabase database_;
  ChildProcess child_;
  unsigned short port_ = 0;
  bool exit_expected_ = false;  // the test signalled or waited for the exit itself
  std::size_t log_offset_ = 0;
  std::chrono::steady_clock::time_point spawned_;
  std::chrono::duration<double, std::milli> startup_time_{0};
};

}  // namespace aop::test
