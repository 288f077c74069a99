#pragma once
// The handler that serves the built web UI with an SPA fallback to index.html.
#include "http/static_files.hpp"
#include "http/types.hpp"

namespace aop::app {

http::Handler web_ui_handler(const http::StaticFiles& files);

}  // namespace aop::app
