// A hub's TMF630 query (first line of the input) matched against an event (the rest: its JSON
// payload). A bad query is a 400 ApiError at registration; matching never fails.
#include <cstdint>
#include <string>

#include <tmfd/error.hpp>
#include <tmfd/event.hpp>

#include "delivery/event_filter.hpp"
#include "fuzz_stack.hpp"

using namespace tmfd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const std::string query = input.substr(0, newline);
  delivery::EventFilter filter;
  try {
    filter = delivery::EventFilter::parse({query});
  } catch (const ApiError& e) {
    if (e.http_status() != 400) fuzz::fail_input("query refused with a non-400 status", e.body());
    return 0;
  }
  Event event;
  event.event_type = "WidgetCreateEvent";
  event.domain = "fuzz";
  event.resource_type = "widget";
  event.resource_id = "w-1";
  event.payload = newline == std::string::npos ? std::string("{}") : input.substr(newline + 1);
  filter.matches(event);
  return 0;
}
