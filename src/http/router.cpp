#include "http/router.hpp"

#include <stdexcept>

namespace aop::http {

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> children;
  std::unique_ptr<Node> param_child;
  std::string param_name;
  struct Endpoint {
    Handler handler;
    std::size_t info_index;
  };
  std::map<std::string, Endpoint, std::less<>> endpoints;  // by method
};

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 1;  // skip the leading '/'
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

// Decodes %XX escapes in a path segment; malformed escapes are kept literally.
std::string percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && hex(in[i + 1]) >= 0 &&
        hex(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

void Router::add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  if (pattern.empty() || pattern[0] != '/') throw std::logic_error("route must start with '/': " + pattern);
  Node* node = root_.get();
  for (auto segment : split_path(pattern)) {
    if (segment.size() >= 2 && segment.front() == '{' && segment.back() == '}') {
      std::string name(segment.substr(1, segment.size() - 2));
      if (!node->param_child) {
        node->param_child = std::make_unique<Node>();
        node->param_child->param_name = name;
      } else if (node->param_child->param_name != name) {
        throw std::logic_error("conflicting parameter names at " + pattern);
      }
      node = node->param_child.get();
    } else {
      auto& child = node->children[std::string(segment)];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
  }
  if (node->endpoints.count(method)) throw std::logic_error("duplicate route " + method + " " + pattern);
  routes_.push_back(RouteInfo{method, pattern, std::move(options)});
  node->endpoints.emplace(std::move(method), Node::Endpoint{std::move(handler), routes_.size() - 1});
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  if (path.empty() || path[0] != '/') return result;
  auto segments = split_path(path);

  // Depth-first: static children first, then the parameter child.
  std::vector<std::pair<std::string, std::string>> params;
  const Node* found = nullptr;
  auto walk = [&](auto& self, const Node* node, std::size_t i) -> bool {
    if (i == segments.size()) {
      if (node->endpoints.empty()) return false;
      found = node;
      return true;
    }
    auto seg = segments[i];
    if (auto it = node->children.find(seg); it != node->children.end())
      if (self(self, it->second.get(), i + 1)) return true;
    if (node->param_child && !seg.empty()) {
      params.emplace_back(node->param_child->param_name, percent_decode(seg));
      if (self(self, node->param_child.get(), i + 1)) return true;
      params.pop_back();
    }
    return false;
  };
  if (!walk(walk, root_.get(), 0)) return result;

  auto it = found->endpoints.find(method);
  if (it == found->endpoints.end() && method == "HEAD") it = found->endpoints.find("GET");
  if (it == found->endpoints.end()) {
    result.kind = RouteMatch::Kind::method_not_allowed;
    for (const auto& [m, _] : found->endpoints) result.allowed_methods.push_back(m);
    const auto& first = routes_[found->endpoints.begin()->second.info_index];
    result.info = &first;
    return result;
  }
  result.kind = RouteMatch::Kind::found;
  result.handler = &it->second.handler;
  result.info = &routes_[it->second.info_index];
  result.params = std::move(params);
  return result;
}

}  // namespace aop::http
