// The one translation unit that compiles Boost.Asio and Boost.Beast (separate compilation):
// every other file includes only their declarations, which keeps builds fast.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
// Asio's TLS layer (used by the LLM client) is compiled here too, once.
#include <boost/asio/ssl/impl/src.hpp>
