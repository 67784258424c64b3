#include "io/run_guarded.hpp"

#include <atomic>
#include <exception>
#include <string>

#include <boost/asio/io_context.hpp>

#include <tmfd/log.hpp>

namespace tmfd::io {

namespace {
std::atomic<std::uint64_t> caught{0};
}

void run_guarded(boost::asio::io_context& ioc, std::string_view component) {
  const std::string tag(component);
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      caught.fetch_add(1, std::memory_order_relaxed);
      log::error(tag, "an operation failed unexpectedly and was dropped", {{"error", e.what()}});
    } catch (...) {
      caught.fetch_add(1, std::memory_order_relaxed);
      log::error(tag, "an operation failed unexpectedly and was dropped", {{"error", "unknown exception"}});
    }
  }
}

std::uint64_t handler_exceptions() noexcept { return caught.load(std::memory_order_relaxed); }

} // namespace tmfd::io
