// The one translation unit that compiles Boost.Asio and Boost.Beast (separate compilation):
// every other file includes only their declarations, which keeps builds fast. Asio's TLS
// (OpenSSL) is compiled here too.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
