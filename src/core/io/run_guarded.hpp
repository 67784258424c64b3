#pragma once
// Runs an io_context so that no exception escaping a completion handler ends the thread (and,
// from a thread's top level, the process). Asio lets run() be called again after a handler
// threw: the handler that threw is gone, and with it whatever it owned (for a connection, its
// socket), so the failure stays with that one connection or operation.
#include <cstdint>
#include <string_view>

namespace boost::asio {
class io_context;
}

namespace tmfd::io {

// Returns when the io_context runs out of work or is stopped. Each exception is logged at error
// level under `component` and counted (handler_exceptions()).
void run_guarded(boost::asio::io_context& ioc, std::string_view component);

// Exceptions caught by run_guarded since start, all components together.
std::uint64_t handler_exceptions() noexcept;

} // namespace tmfd::io
