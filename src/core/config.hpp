#pragma once
// Server configuration. Precedence: command-line flags > environment (AOP_*) > aop.yaml >
// defaults. Every setting is described once in settings() so flags, environment, the YAML
// file and the README table cannot drift apart.
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace aop::core {

struct Config {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string data_dir = "./data";
  std::string database_url;  // empty = sqlite://<data_dir>/aop.db
  std::string log_format = "text";  // text | json
  std::string log_level = "info";   // trace | debug | info | warn | error | off
  int io_threads = 2;
  int blocking_threads = 8;
  int db_pool_size = 8;
  std::vector<std::string> cors_origins;  // exact origins, or "*"
  std::string web_dir = "web/dist";
  std::string swagger_dir = "web/swagger-ui";
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 8 * 1024;
  int max_connections = 10000;
  int header_timeout_ms = 10000;
  int body_timeout_ms = 30000;
  int idle_timeout_ms = 60000;
  int shutdown_timeout_ms = 10000;
  int sse_ping_interval_ms = 15000;
  std::size_t sse_buffer_events = 1024;
  int sse_send_buffer_bytes = 0;
  std::string port_file;  // when set, the bound port is written here (tests, supervisors)
  std::string jwt_secret;  // empty = generated into <data_dir>/jwt_secret (mode 0600)
  std::string secret_key;  // 32 raw bytes; empty = generated into <data_dir>/secret_key (mode 0600)
  bool allow_signup = false;  // self-registration after the first (admin) user
  int user_rate_limit = 1200;     // requests per minute per signed-in user; 0 = off
  int api_key_rate_limit = 600;   // default per API key without its own limit
  int workers = 4;                // executions run at once by this process; 0 = none (API-only node)
  int worker_timeout_ms = 30000;  // a running execution without a heartbeat this long is interrupted
  int simulated_latency_ms = 0;   // delay before each simulated LLM answer (demos, tests)

  // The database URL with the default applied.
  std::string effective_database_url() const;
};

// Thrown for invalid configuration; what() is one line naming the setting and its source.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Setting {
  std::string key;      // YAML key and flag name (--key with '_' as '-')
  std::string env;      // environment variable
  std::string help;     // one line for --help and the README
  std::function<void(Config&, const std::string&)> set;  // throws std::invalid_argument
  std::function<std::string(const Config&)> get;
};

const std::vector<Setting>& settings();

struct ConfigSources {
  std::optional<std::string> yaml_path;                 // explicit --config / AOP_CONFIG
  std::map<std::string, std::string> flags;             // key -> value, from the command line
  std::function<const char*(const char*)> getenv = ::getenv;
};

// Builds the configuration from all sources; throws ConfigError.
Config load_config(const ConfigSources& sources);

}  // namespace aop::core
