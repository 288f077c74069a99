#include "core/config.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/secret_key.hpp"

namespace aop::core {

std::string Config::effective_database_url() const {
  if (!database_url.empty()) return database_url;
  return "sqlite://" + (std::filesystem::path(data_dir) / "aop.db").string();
}

namespace {

long long parse_integer(const std::string& value, long long min, long long max) {
  long long out = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (ec != std::errc() || ptr != value.data() + value.size() || value.empty())
    throw std::invalid_argument("must be an integer, got \"" + value + "\"");
  if (out < min || out > max)
    throw std::invalid_argument("must be between " + std::to_string(min) + " and " +
                                std::to_string(max) + ", got " + value);
  return out;
}

std::string one_of(const std::string& value, std::initializer_list<const char*> allowed) {
  std::string list;
  for (const char* a : allowed) {
    if (value == a) return value;
    list += list.empty() ? a : std::string(", ") + a;
  }
  throw std::invalid_argument("must be one of " + list + ", got \"" + value + "\"");
}

std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> out;
  std::stringstream ss(value);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto b = item.find_first_not_of(" \t");
    auto e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

std::string join_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

template <class T>
Setting int_setting(std::string key, std::string env, std::string help, T Config::*field,
                    long long min, long long max) {
  return Setting{key, env, help,
                 [field, min, max](Config& c, const std::string& v) {
                   c.*field = static_cast<T>(parse_integer(v, min, max));
                 },
                 [field](const Config& c) { return std::to_string(c.*field); }};
}

Setting string_setting(std::string key, std::string env, std::string help,
                       std::string Config::*field) {
  return Setting{key, env, help, [field](Config& c, const std::string& v) { c.*field = v; },
                 [field](const Config& c) { return c.*field; }};
}

}  // namespace

const std::vector<Setting>& settings() {
  static const std::vector<Setting> all = {
      Setting{"host", "AOP_HOST", "Address to listen on",
              [](Config& c, const std::string& v) {
                if (v.empty()) throw std::invalid_argument("must not be empty");
                c.host = v;
              },
              [](const Config& c) { return c.host; }},
      int_setting("port", "AOP_PORT", "TCP port (0 picks a free port)", &Config::port, 0, 65535),
      Setting{"data_dir", "AOP_DATA_DIR", "Directory for the SQLite database and generated keys",
              [](Config& c, const std::string& v) {
                if (v.empty()) throw std::invalid_argument("must not be empty");
                c.data_dir = v;
              },
              [](const Config& c) { return c.data_dir; }},
      Setting{"database_url", "AOP_DATABASE_URL",
              "sqlite://<path> (default sqlite://<data_dir>/aop.db) or postgres://user:pass@host:port/db",
              [](Config& c, const std::string& v) {
                if (!v.starts_with("sqlite://") && !v.starts_with("postgres://") &&
                    !v.starts_with("postgresql://"))
                  throw std::invalid_argument("must start with sqlite://, postgres:// or postgresql://, got \"" + v + "\"");
                c.database_url = v;
              },
              [](const Config& c) { return c.effective_database_url(); }},
      Setting{"log_format", "AOP_LOG_FORMAT", "text (terminals) or json (one JSON object per line)",
              [](Config& c, const std::string& v) { c.log_format = one_of(v, {"text", "json"}); },
              [](const Config& c) { return c.log_format; }},
      Setting{"log_level", "AOP_LOG_LEVEL", "trace, debug, info, warn, error or off",
              [](Config& c, const std::string& v) {
                c.log_level = one_of(v, {"trace", "debug", "info", "warn", "error", "off"});
              },
              [](const Config& c) { return c.log_level; }},
      int_setting("io_threads", "AOP_IO_THREADS", "Threads running the HTTP event loop",
                  &Config::io_threads, 1, 256),
      int_setting("blocking_threads", "AOP_BLOCKING_THREADS",
                  "Threads for blocking work (database, password hashing)",
                  &Config::blocking_threads, 1, 1024),
      int_setting("db_pool_size", "AOP_DB_POOL_SIZE", "Database connections (readers on SQLite)",
                  &Config::db_pool_size, 1, 1024),
      Setting{"cors_origins", "AOP_CORS_ORIGINS",
              "Comma-separated origins allowed by CORS (empty: same origin only; * for any)",
              [](Config& c, const std::string& v) { c.cors_origins = split_list(v); },
              [](const Config& c) { return join_list(c.cors_origins); }},
      string_setting("web_dir", "AOP_WEB_DIR", "Directory of the built web UI", &Config::web_dir),
      string_setting("swagger_dir", "AOP_SWAGGER_DIR",
                     "Directory of swagger-ui-dist, served at /api/docs", &Config::swagger_dir),
      int_setting("max_body_bytes", "AOP_MAX_BODY_BYTES", "Default request body limit",
                  &Config::max_body_bytes, 1024, 1LL << 32),
      int_setting("max_header_bytes", "AOP_MAX_HEADER_BYTES", "Request header limit",
                  &Config::max_header_bytes, 1024, 1 << 20),
      int_setting("max_connections", "AOP_MAX_CONNECTIONS", "Open connections before new ones get 503",
                  &Config::max_connections, 1, 1000000),
      int_setting("header_timeout_ms", "AOP_HEADER_TIMEOUT_MS", "Time to receive request headers",
                  &Config::header_timeout_ms, 10, 3600000),
      int_setting("body_timeout_ms", "AOP_BODY_TIMEOUT_MS", "Time to receive a request body",
                  &Config::body_timeout_ms, 10, 3600000),
      int_setting("idle_timeout_ms", "AOP_IDLE_TIMEOUT_MS", "Idle keep-alive connection timeout",
                  &Config::idle_timeout_ms, 10, 3600000),
      int_setting("shutdown_timeout_ms", "AOP_SHUTDOWN_TIMEOUT_MS",
                  "Deadline for in-flight requests on SIGTERM", &Config::shutdown_timeout_ms, 0,
                  3600000),
      int_setting("sse_ping_interval_ms", "AOP_SSE_PING_INTERVAL_MS",
                  "Interval of SSE keep-alive comments", &Config::sse_ping_interval_ms, 10, 3600000),
      int_setting("sse_buffer_events", "AOP_SSE_BUFFER_EVENTS",
                  "Events buffered per SSE client before a slow client is dropped",
                  &Config::sse_buffer_events, 1, 1000000),
      int_setting("sse_send_buffer_bytes", "AOP_SSE_SEND_BUFFER_BYTES",
                  "Kernel send buffer of each SSE connection (0 = the system's, which grows to megabytes)",
                  &Config::sse_send_buffer_bytes, 0, 64 * 1024 * 1024),
      string_setting("port_file", "AOP_PORT_FILE", "Write the bound port to this file",
                     &Config::port_file),
      Setting{"jwt_secret", "AOP_JWT_SECRET",
              "Secret for signing access tokens (default: generated into <data_dir>/jwt_secret)",
              [](Config& c, const std::string& v) {
                if (!v.empty() && v.size() < 32) throw std::invalid_argument("must be at least 32 characters");
                c.jwt_secret = v;
              },
              [](const Config& c) { return c.jwt_secret.empty() ? "" : "***"; }},
      Setting{"secret_key", "AOP_SECRET_KEY",
              "Master key encrypting secrets at rest: 32 bytes as base64url or 64 hex digits (default: "
              "generated into <data_dir>/secret_key)",
              [](Config& c, const std::string& v) {
                if (v.empty()) {
                  c.secret_key.clear();
                  return;
                }
                // The message never repeats the value: it is a secret.
                auto key = parse_secret_key(v);
                if (!key) throw std::invalid_argument("must be 32 bytes written as base64url (43 characters) or hex (64 digits)");
                c.secret_key = std::move(*key);
              },
              [](const Config& c) { return c.secret_key.empty() ? "" : "***"; }},
      Setting{"allow_signup", "AOP_ALLOW_SIGNUP", "Allow self-registration after the first user (true/false)",
              [](Config& c, const std::string& v) {
                c.allow_signup = one_of(v, {"true", "false", "1", "0"}) == "true" || v == "1";
              },
              [](const Config& c) { return c.allow_signup ? "true" : "false"; }},
      int_setting("user_rate_limit", "AOP_USER_RATE_LIMIT",
                  "Requests per minute per signed-in user (0 = unlimited)", &Config::user_rate_limit, 0, 1000000),
      int_setting("api_key_rate_limit", "AOP_API_KEY_RATE_LIMIT",
                  "Requests per minute for API keys without their own limit", &Config::api_key_rate_limit, 1,
                  1000000),
      int_setting("workers", "AOP_WORKERS", "Executions this process runs at once (0 = none: an API-only node)",
                  &Config::workers, 0, 100000),
      int_setting("worker_timeout_ms", "AOP_WORKER_TIMEOUT_MS",
                  "A running execution whose worker sent no heartbeat for this long is marked failed (interrupted)",
                  &Config::worker_timeout_ms, 500, 86400000),
      int_setting("simulated_latency_ms", "AOP_SIMULATED_LATENCY_MS",
                  "Delay before each answer of the simulated LLM (demos and tests)", &Config::simulated_latency_ms, 0,
                  600000),
  };
  return all;
}

namespace {

void apply(Config& config, const Setting& s, const std::string& value, const std::string& source) {
  try {
    s.set(config, value);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("invalid configuration: " + source + ": " + e.what());
  }
}

std::string yaml_scalar(const YAML::Node& node) {
  if (node.IsSequence()) {
    std::string out;
    for (const auto& item : node) out += (out.empty() ? "" : ",") + item.as<std::string>();
    return out;
  }
  if (!node.IsScalar()) throw std::invalid_argument("must be a scalar or a list");
  return node.as<std::string>();
}

}  // namespace

Config load_config(const ConfigSources& sources) {
  Config config;

  // aop.yaml: explicit path must exist; the default ./aop.yaml is optional.
  std::string yaml_path;
  if (sources.yaml_path) {
    yaml_path = *sources.yaml_path;
    if (!std::filesystem::exists(yaml_path))
      throw ConfigError("invalid configuration: config file \"" + yaml_path + "\" does not exist");
  } else if (const char* env = sources.getenv("AOP_CONFIG"); env && *env) {
    yaml_path = env;
    if (!std::filesystem::exists(yaml_path))
      throw ConfigError("invalid configuration: AOP_CONFIG file \"" + yaml_path + "\" does not exist");
  } else if (std::filesystem::exists("aop.yaml")) {
    yaml_path = "aop.yaml";
  }
  if (!yaml_path.empty()) {
    YAML::Node root;
    try {
      root = YAML::LoadFile(yaml_path);
    } catch (const YAML::Exception& e) {
      throw ConfigError("invalid configuration: " + yaml_path + ": " + e.what());
    }
    if (root && !root.IsNull()) {
      if (!root.IsMap()) throw ConfigError("invalid configuration: " + yaml_path + ": must be a mapping");
      for (const auto& entry : root) {
        auto key = entry.first.as<std::string>();
        auto it = std::find_if(settings().begin(), settings().end(),
                               [&](const Setting& s) { return s.key == key; });
        if (it == settings().end())
          throw ConfigError("invalid configuration: " + yaml_path + ": unknown setting \"" + key + "\"");
        std::string value;
        try {
          value = yaml_scalar(entry.second);
        } catch (const std::exception& e) {
          throw ConfigError("invalid configuration: " + yaml_path + ": " + key + ": " + e.what());
        }
        apply(config, *it, value, yaml_path + ": " + key);
      }
    }
  }

  for (const auto& s : settings())
    if (const char* v = sources.getenv(s.env.c_str()); v != nullptr)
      apply(config, s, v, s.env);

  for (const auto& [key, value] : sources.flags) {
    auto it = std::find_if(settings().begin(), settings().end(),
                           [&](const Setting& s) { return s.key == key; });
    if (it == settings().end()) throw ConfigError("invalid configuration: unknown flag --" + key);
    std::string flag = key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    apply(config, *it, value, "--" + flag);
  }
  return config;
}

}  // namespace aop::core
