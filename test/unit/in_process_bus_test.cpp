// The in-process bus's unsubscribe(): once it returns, the handler is not running and never runs
// again (a module frees what its handler uses right after, in stop()); called from inside a
// handler on the bus thread, it returns at once instead of waiting for itself.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "bus/in_process_bus.hpp"
#include "observability/metrics.hpp"
#include "timing.hpp"

using tmfd::Event;
using tmfd::bus::InProcessBus;
using tmfd::test::eventually;
using namespace std::chrono_literals;

namespace {

Event event_of(std::int64_t sequence, const std::string& type) {
  Event e;
  e.sequence = sequence;
  e.event_type = type;
  return e;
}

void publish(InProcessBus& bus, std::int64_t sequence, const std::string& type) {
  std::vector<Event> events;
  events.push_back(event_of(sequence, type));
  bus.publish(std::move(events));
}

} // namespace

TEST_CASE("bus: unsubscribe waits for the subscription's running handler to return", "[bus]") {
  tmfd::observability::Metrics metrics;
  InProcessBus bus(metrics);
  bus.start();

  std::promise<void> entered, release;
  auto released = release.get_future().share();
  std::atomic<bool> handler_done{false};
  std::atomic<int> calls{0};
  const auto id = bus.subscribe("blocking", [&, released](const Event&) {
    if (calls++ == 0) entered.set_value();
    released.wait();
    handler_done = true;
  });
  publish(bus, 1, "First");
  entered.get_future().wait();  // the handler runs on the bus thread, blocked

  std::atomic<bool> done_when_returned{false};
  std::thread unsubscriber([&] {
    bus.unsubscribe(id);
    done_when_returned = handler_done.load();
  });
  // The call is inside unsubscribe(), waiting for the handler: the bus says so (a version that did
  // not wait would never get here, and would have returned while the handler still ran).
  const bool waiting = eventually([&] { return bus.unsubscribes_waiting() == 1; }, 10s);
  release.set_value();  // before any REQUIRE: a handler left blocked would hang the bus's stop()
  unsubscriber.join();
  REQUIRE(waiting);
  CHECK(done_when_returned);

  // And it is never called again: a later event reaches a marker subscriber, not it.
  std::promise<void> marker;
  bus.subscribe("marker", [&](const Event& e) {
    if (e.event_type == "Second") marker.set_value();
  });
  publish(bus, 2, "Second");
  REQUIRE(marker.get_future().wait_for(10s) == std::future_status::ready);
  CHECK(calls == 1);
  bus.stop();
}

TEST_CASE("bus: a subscription removed while an event is being delivered gets none of it", "[bus]") {
  tmfd::observability::Metrics metrics;
  InProcessBus bus(metrics);
  bus.start();

  std::promise<void> entered, release;
  auto released = release.get_future().share();
  bus.subscribe("first", [&, released](const Event&) {
    entered.set_value();
    released.wait();
  });
  std::atomic<int> second_calls{0};
  const auto second = bus.subscribe("second", [&](const Event&) { ++second_calls; });
  std::promise<void> marker;
  bus.subscribe("marker", [&](const Event&) { marker.set_value(); });

  publish(bus, 1, "Only");
  entered.get_future().wait();  // the event is being delivered: "first" runs, "second" is next
  // "second" is not running: the call returns at once, and "second" must not get the event even
  // though the delivery under way began before the call.
  bus.unsubscribe(second);
  release.set_value();
  REQUIRE(marker.get_future().wait_for(10s) == std::future_status::ready);
  CHECK(second_calls == 0);
  bus.stop();
}

TEST_CASE("bus: unsubscribe called from inside its own handler returns at once", "[bus]") {
  tmfd::observability::Metrics metrics;
  // Left allocated if the handler never returns: destroying the bus would join its stuck thread.
  auto bus = std::make_unique<InProcessBus>(metrics);
  bus->start();

  std::uint64_t id = 0;
  std::promise<std::uint64_t> subscribed;
  auto subscribed_id = subscribed.get_future().share();
  std::atomic<int> calls{0};
  std::atomic<bool> returned{false};
  id = bus->subscribe("self", [&, subscribed_id](const Event&) {
    ++calls;
    bus->unsubscribe(subscribed_id.get());  // on the bus thread: must not wait for itself
    returned = true;
  });
  subscribed.set_value(id);
  std::promise<void> marker;
  bus->subscribe("marker", [&](const Event& e) {
    if (e.event_type == "Second") marker.set_value();
  });

  publish(*bus, 1, "First");
  if (!eventually([&] { return returned.load(); }, 10s)) {
    (void)bus.release();
    FAIL("unsubscribe() called from its own handler did not return (deadlock)");
  }
  // Delivered in order on one thread: once the marker has the second event, the removed handler
  // has been passed over for it.
  publish(*bus, 2, "Second");
  REQUIRE(marker.get_future().wait_for(10s) == std::future_status::ready);
  CHECK(calls == 1);
  bus->stop();
}
