// Hub queries: TMF630 filters on an event's header attributes and on its content.
#include <catch2/catch.hpp>

#include <string>

#include <tmfd/error.hpp>

#include "delivery/event_filter.hpp"

using namespace tmfd::delivery;
using tmfd::ApiError;
using tmfd::Event;

namespace {

Event order_event(const std::string& type, const std::string& state) {
  Event e;
  e.event_type = type;
  e.domain = "productOrdering";
  e.resource_id = "o1";
  e.payload = R"({"eventId":"e1","eventType":")" + type +
              R"(","domain":"productOrdering","priority":"Normal","event":{"productOrder":{"id":"o1","state":")" + state +
              R"(","orderItem":[{"id":"1","quantity":2},{"id":"2","quantity":5}]}}})";
  return e;
}

int status_of_parse(const std::string& query) {
  try {
    EventFilter::parse({query});
  } catch (const ApiError& e) {
    return e.http_status();
  }
  return 0;
}

} // namespace

TEST_CASE("event filter: empty query matches everything", "[delivery][unit]") {
  auto f = EventFilter::parse({""});
  CHECK(f.empty());
  CHECK(f.matches(order_event("ProductOrderCreateEvent", "acknowledged")));
}

TEST_CASE("event filter: event type, with comma lists", "[delivery][unit]") {
  auto f = EventFilter::parse({"eventType=ProductOrderStateChangeEvent,ProductOrderDeleteEvent"});
  CHECK(f.matches(order_event("ProductOrderStateChangeEvent", "completed")));
  CHECK(f.matches(order_event("ProductOrderDeleteEvent", "completed")));
  CHECK_FALSE(f.matches(order_event("ProductOrderCreateEvent", "completed")));
}

TEST_CASE("event filter: content paths under event, AND-ed with the type", "[delivery][unit]") {
  auto f = EventFilter::parse({"eventType=ProductOrderStateChangeEvent&event.productOrder.state=completed"});
  CHECK(f.matches(order_event("ProductOrderStateChangeEvent", "completed")));
  CHECK_FALSE(f.matches(order_event("ProductOrderStateChangeEvent", "inProgress")));
  CHECK_FALSE(f.matches(order_event("ProductOrderCreateEvent", "completed")));
}

TEST_CASE("event filter: operators and arrays on the content", "[delivery][unit]") {
  CHECK(EventFilter::parse({"event.productOrder.orderItem.quantity.gt=4"})
            .matches(order_event("ProductOrderCreateEvent", "acknowledged")));
  CHECK_FALSE(EventFilter::parse({"event.productOrder.orderItem.quantity.gt=5"})
                  .matches(order_event("ProductOrderCreateEvent", "acknowledged")));
  CHECK(EventFilter::parse({"priority=Normal"}).matches(order_event("ProductOrderCreateEvent", "acknowledged")));
}

TEST_CASE("event filter: several queries are AND-ed (topic filter, then hub query)", "[delivery][unit]") {
  auto f = EventFilter::parse({"domain=productOrdering", "event.productOrder.state=completed"});
  CHECK(f.matches(order_event("ProductOrderStateChangeEvent", "completed")));
  auto g = EventFilter::parse({"domain=party", "event.productOrder.state=completed"});
  CHECK_FALSE(g.matches(order_event("ProductOrderStateChangeEvent", "completed")));
}

TEST_CASE("event filter: paging, fields, sort and bad syntax are 400", "[delivery][unit]") {
  CHECK(status_of_parse("limit=10") == 400);
  CHECK(status_of_parse("offset=1") == 400);
  CHECK(status_of_parse("fields=eventType") == 400);
  CHECK(status_of_parse("sort=eventTime") == 400);
  CHECK(status_of_parse("eventType=%zz") == 400);
  CHECK(status_of_parse("=x") == 400);
  CHECK(status_of_parse("eventType.gt=a,b") == 400);
}
