#pragma once
// The SSE stream of one execution (DESIGN.md section 6): the stored events after the client's
// Last-Event-ID, then live events, with no gap and no duplicate; it ends after
// execution_completed, at once for a finished execution.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>

#include "http/types.hpp"

namespace aop::app {
struct Services;
}

namespace aop::api {

// Last-Event-ID header, else ?last_event_id=, else 0; throws 400 for anything but a
// non-negative integer.
std::int64_t last_event_id(const http::RequestContext& ctx);

// Throws 404 unless the execution is the team's.
boost::asio::awaitable<http::Reply> open_execution_stream(app::Services& services, const std::string& team_id,
                                                          const std::string& execution_id, std::int64_t after_seq);

}  // namespace aop::api
