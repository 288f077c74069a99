#include "http/metrics.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace aop::http {

namespace {
std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') { out += "\\n"; continue; }
    out.push_back(c);
  }
  return out;
}
std::string number(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}
}  // namespace

double process_rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident)) return 0;
  return static_cast<double>(pages_resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

Metrics::Metrics() {
  add_gauge("aop_process_uptime_seconds", "Seconds since the process started", [this] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  });
  add_gauge("aop_process_resident_memory_bytes", "Resident set size", [] { return process_rss_bytes(); });
  add_gauge("aop_http_open_connections", "Open HTTP connections",
            [this] { return static_cast<double>(open_connections()); });
}

void Metrics::record_request(const std::string& route, const std::string& method, int status,
                             double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, method, status}];
  auto& h = durations_[route];
  for (std::size_t i = 0; i < k_buckets.size(); ++i)
    if (seconds <= k_buckets[i]) ++h.counts[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> sample) {
  std::lock_guard lock(mutex_);
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(sample)});
}

std::string Metrics::render() const {
  std::vector<Gauge> gauges;
  std::ostringstream out;
  {
    std::lock_guard lock(mutex_);
    gauges = gauges_;
    out << "# HELP aop_http_requests_total HTTP requests by route, method and status\n"
           "# TYPE aop_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      const auto& [route, method, status] = key;
      out << "aop_http_requests_total{route=\"" << escape_label(route) << "\",method=\""
          << escape_label(method) << "\",status=\"" << status << "\"} " << count << "\n";
    }
    out << "# HELP aop_http_request_duration_seconds HTTP request duration by route\n"
           "# TYPE aop_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : durations_) {
      auto label = escape_label(route);
      for (std::size_t i = 0; i < k_buckets.size(); ++i)
        out << "aop_http_request_duration_seconds_bucket{route=\"" << label << "\",le=\""
            << number(k_buckets[i]) << "\"} " << h.counts[i] << "\n";
      out << "aop_http_request_duration_seconds_bucket{route=\"" << label << "\",le=\"+Inf\"} "
          << h.count << "\n";
      out << "aop_http_request_duration_seconds_sum{route=\"" << label << "\"} " << number(h.sum) << "\n";
      out << "aop_http_request_duration_seconds_count{route=\"" << label << "\"} " << h.count << "\n";
    }
  }
  // Gauges are sampled outside the lock: a sampler may take its own locks.
  for (const auto& g : gauges) {
    out << "# HELP " << g.name << " " << g.help << "\n# TYPE " << g.name << " gauge\n"
        << g.name << " " << number(g.sample()) << "\n";
  }
  return out.str();
}

}  // namespace aop::http
