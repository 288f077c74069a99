#pragma once
// Prometheus metrics for the HTTP layer, plus gauges other modules register (database pool,
// process). Rendered in the Prometheus text exposition format at /metrics.
#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace aop::http {

class Metrics {
 public:
  Metrics();

  void record_request(const std::string& route, const std::string& method, int status,
                      double seconds);
  void connection_opened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
  long open_connections() const { return open_connections_.load(std::memory_order_relaxed); }

  // A gauge sampled at render time, e.g. database pool connections in use.
  void add_gauge(std::string name, std::string help, std::function<double()> sample);

  std::string render() const;

  static constexpr std::array<double, 12> k_buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                       0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

 private:
  struct Histogram {
    std::array<std::uint64_t, k_buckets.size()> counts{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Gauge {
    std::string name, help;
    std::function<double()> sample;
  };

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> durations_;  // by route
  std::vector<Gauge> gauges_;
  std::atomic<long> open_connections_{0};
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

// Resident set size of this process in bytes (from /proc/self/statm); 0 if unknown.
double process_rss_bytes();

}  // namespace aop::http
