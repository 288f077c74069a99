#pragma once
// Starts a program as a child process (fork + execve) with a controlled environment, working
// directory and output files, and waits for it with a deadline. The child dies with the test
// process (PR_SET_PDEATHSIG), so a crashed test leaves no stray servers behind.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/temp_dir.hpp"

extern char** environ;

namespace aop::test {

using EnvVars = std::vector<std::pair<std::string, std::string>>;

struct ExitStatus {
  bool exited = false;  // returned from main / called exit
  int code = -1;        // exit code when `exited`
  int signal = 0;       // terminating signal otherwise

  bool success() const { return exited && code == 0; }
  std::string describe() const {
    if (exited) return "exit code " + std::to_string(code);
    return "killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
  }
  static ExitStatus from_wait(int status) {
    ExitStatus s;
    if (WIFEXITED(status)) {
      s.exited = true;
      s.code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      s.signal = WTERMSIG(status);
    }
    return s;
  }
};

struct SpawnOptions {
  std::vector<std::string> argv;       // argv[0] is the program's path
  EnvVars env;                         // set on top of the inherited environment
  bool drop_aop_env = true;            // remove inherited AOP_* variables (hermetic runs)
  std::filesystem::path cwd;           // empty: inherit
  std::filesystem::path stdout_path;   // appended to; empty: /dev/null
  std::filesystem::path stderr_path;   // appended to; empty: /dev/null
};

class ChildProcess {
 public:
  ChildProcess() = default;
  explicit ChildProcess(const SpawnOptions& options) { spawn(options); }
  ~ChildProcess() {
    if (running()) {
      signal(SIGKILL);
      wait(std::chrono::seconds(10));
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void spawn(const SpawnOptions& options) {
    if (running()) throw HarnessError("ChildProcess::spawn: a child is still running");
    if (options.argv.empty()) throw HarnessError("ChildProcess::spawn: empty argv");
    status_.reset();

    // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
    std::vector<std::string> env_strings;
    for (char** e = environ; e && *e; ++e) {
      std::string entry(*e);
      std::string name = entry.substr(0, entry.find('='));
      if (options.drop_aop_env && name.starts_with("AOP_")) continue;
      bool overridden = false;
      for (const auto& [k, v] : options.env) overridden = overridden || k == name;
      if (!overridden) env_strings.push_back(std::move(entry));
    }
    for (const auto& [k, v] : options.env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = options.argv;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::string out = options.stdout_path.empty() ? "/dev/null" : options.stdout_path.string();
    std::string err = options.stderr_path.empty() ? "/dev/null" : options.stderr_path.string();
    std::string cwd = options.cwd.string();

    int report[2];  // the child writes errno here if exec fails; closes on exec success
    if (::pipe2(report, O_CLOEXEC) != 0) throw HarnessError("pipe2 failed: " + std::string(std::strerror(errno)));
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) {
      ::close(report[0]);
      ::close(report[1]);
      throw HarnessError("fork failed: " + std::string(std::strerror(errno)));
    }
    if (pid == 0) {
      auto fail = [&](int step) {
        int payload[2] = {step, errno};
        [[maybe_unused]] auto n = ::write(report[1], payload, sizeof payload);
        ::_exit(127);
      };
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      // The test process may block signals; the server must see SIGTERM/SIGINT.
      sigset_t none;
      ::sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      ::signal(SIGPIPE, SIG_DFL);
      if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) fail(1);
      int in_fd = ::open("/dev/null", O_RDONLY);
      int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (in_fd < 0 || out_fd < 0 || err_fd < 0) fail(2);
      if (::dup2(in_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) fail(3);
      // Close everything else the test process had open (sockets, database connections),
      // except the report pipe, which is close-on-exec.
      for (int fd = 3; fd < 1024; ++fd)
        if (fd != report[1]) ::close(fd);
      ::execve(argv[0], argv.data(), envp.data());
      fail(4);
    }
    ::close(report[1]);
    int payload[2] = {0, 0};
    ssize_t n;
    do {
      n = ::read(report[0], payload, sizeof payload);
    } while (n < 0 && errno == EINTR);
    ::close(report[0]);
    pid_ = pid;
    if (n > 0) {
      wait(std::chrono::seconds(5));
      std::string what = payload[0] == 1   ? "chdir to " + cwd
                         : payload[0] == 2 ? "open " + out + " / " + err
                         : payload[0] == 3 ? "dup2"
                                           : "execve " + args[0];
      throw HarnessError("cannot start " + args[0] + ": " + what + " failed: " + std::strerror(payload[1]));
    }
  }

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0 && !status_; }
  const std::optional<ExitStatus>& exit_status() const { return status_; }

  // Sends `sig` if the child has not been reaped yet.
  void signal(int sig) {
    if (running()) ::kill(pid_, sig);
  }

  // Non-blocking: the exit status once the child has ended.
  std::optional<ExitStatus> try_wait() {
    if (status_ || pid_ <= 0) return status_;
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) status_ = ExitStatus::from_wait(status);
    return status_;
  }

  // Waits up to `timeout` for the child to end; nullopt if it is still running.
  std::optional<ExitStatus> wait(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (auto s = try_wait()) return s;
      if (pid_ <= 0 || std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

 private:
  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
};

}  // namespace aop::test
