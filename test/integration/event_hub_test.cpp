// The TMF688 event module as a client meets it, against the real tmfd binary over real sockets:
// topics, events published to topics, hubs on topics with the topic's and the hub's filters, and
// the central hub /tmf-api/event/v4/hub that receives every event of every module. Callbacks are
// received by the test support's CallbackReceiver, a real HTTP server inside the test process.
// Bodies are validated against the published TMF688 swagger file when it is present.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "callback_receiver.hpp"
#include "database_access.hpp"
#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "outbox_reader.hpp"
#include "spec_checks.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;

namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

const char* kTmf688 = "TMF688-Event-v4.0.0.swagger.json";
const std::string kBase = "/tmf-api/event/v4";
const std::string kTopics = kBase + "/topic";
const std::string kCentralHub = kBase + "/hub";
// Delivery is asynchronous: how long a test waits for a callback before it fails.
constexpr auto kDeliveryWait = 15s;

// ---------------------------------------------------------------------------------------------
// What the callback receiver (test/support/callback_receiver.hpp) got, by callback path
// ---------------------------------------------------------------------------------------------

json::object body_object(const ReceivedRequest& r) {
  json::error_code ec;
  auto v = json::parse(r.body, ec);
  return !ec && v.is_object() ? v.as_object() : json::object{{"unparsed", r.body}};
}

// The JSON bodies POSTed to `path` (e.g. "/topic-a") so far, in arrival order.
std::vector<json::object> bodies(const CallbackReceiver& receiver, const std::string& path) {
  std::vector<json::object> out;
  for (const auto& r : receiver.received())
    if (r.target == path) out.push_back(body_object(r));
  return out;
}

// Waits until a body POSTed to `path` satisfies `pred`; returns it (or an empty object).
template <class Pred> json::object wait_for(const CallbackReceiver& receiver, const std::string& path, Pred pred) {
  json::object found;
  receiver.wait_until(
      [&](const std::vector<ReceivedRequest>& all) {
        for (const auto& r : all) {
          if (r.target != path) continue;
          auto body = body_object(r);
          if (pred(body)) {
            found = std::move(body);
            return true;
          }
        }
        return false;
      },
      std::chrono::steady_clock::now() + kDeliveryWait);
  return found;
}

// ---------------------------------------------------------------------------------------------
// The tmfd under test and helpers
// ---------------------------------------------------------------------------------------------

// party and event enabled; callbacks to 127.0.0.1 allowed.
TmfdOptions event_options() {
  TmfdOptions o;
  o.extra_yaml = "  event:\n    enabled: true\n"
                 "delivery:\n  allowed_callbacks: [\"127.0.0.1\"]\n";
  return o;
}

std::string topic_path(const std::string& topic) { return kTopics + "/" + topic; }
std::string events_path(const std::string& topic) { return kTopics + "/" + topic + "/event"; }
std::string hubs_path(const std::string& topic) { return kTopics + "/" + topic + "/hub"; }

// Creates a topic; REQUIREs 201 and returns its id.
std::string create_topic(HttpClient& c, const std::string& name, const std::string& header_query = {},
                         const std::string& content_query = {}) {
  json::object body{{"name", name}};
  if (!header_query.empty()) body["headerQuery"] = header_query;
  if (!content_query.empty()) body["contentQuery"] = content_query;
  auto r = post_json(c, kTopics, body);
  auto created = require_object(r, 201, "POST topic " + json::serialize(body));
  return str(created, "id");
}

// Publishes an event to a topic; REQUIREs 201 and returns the stored event.
json::object publish(HttpClient& c, const std::string& topic, const json::object& event, Headers extra = {}) {
  auto r = post_json(c, events_path(topic), event, std::move(extra));
  return require_object(r, 201, "POST event " + json::serialize(event));
}

// Registers a hub (at `hub_collection`); REQUIREs 201 and returns its answer.
json::object register_hub(HttpClient& c, const std::string& hub_collection, const std::string& callback,
                          const std::string& query = {}) {
  json::object body{{"callback", callback}};
  if (!query.empty()) body["query"] = query;
  auto r = post_json(c, hub_collection, body);
  auto hub = require_object(r, 201, "POST " + hub_collection + " " + json::serialize(body));
  CHECK(str(hub, "callback") == callback);
  CHECK(!str(hub, "id").empty());
  check_spec(hub, kTmf688, "EventSubscription");
  return hub;
}

// An event body: a type and an alarm of the given severity as its content.
json::object alarm(const std::string& type, const std::string& severity, const std::string& label) {
  return json::object{{"eventType", type},
                      {"title", label},
                      {"priority", "High"},
                      {"event", json::object{{"alarm", json::object{{"severity", severity}, {"label", label}}}}}};
}

std::string label_of(const json::object& delivered) {
  const auto* v = delivered.if_contains("title");
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::vector<std::string> labels(const std::vector<json::object>& delivered) {
  std::vector<std::string> out;
  for (const auto& b : delivered) out.push_back(label_of(b));
  return out;
}

} // namespace

// =============================================================================================
// Topics
// =============================================================================================

TEST_CASE("event: topic create, get, list and delete", "[event-hub]") {
  TmfdProcess tmfd(event_options());
  HttpClient c(tmfd.port());

  auto r = post_json(c, kTopics,
                     obj(R"({"name":"alarms","headerQuery":"eventType=AlarmRaised",
                             "contentQuery":"alarm.severity=critical,major"})"));
  auto topic = require_object(r, 201, "POST topic");
  const std::string id = check_created(r, topic, kTopics, "Topic");
  CHECK(str(topic, "name") == "alarms");
  CHECK(str(topic, "headerQuery") == "eventType=AlarmRaised");
  CHECK(str(topic, "contentQuery") == "alarm.severity=critical,major");
  check_spec(topic, kTmf688, "Topic");

  auto got = c.get(topic_path(id));
  CHECK(require_object(got, 200, "GET topic") == topic);
  CHECK(got.header("etag") == "\"1\"");

  create_topic(c, "orders");
  CHECK(total_count(c, kTopics) == 2);
  CHECK(total_count(c, kTopics, "name=alarms") == 1);
  auto list = c.get(kTopics + "?fields=name");
  REQUIRE(list.status == 200);
  for (const auto& t : as_array(list)) check_spec(t, kTmf688, "Topic");

  SECTION("TMF688 has no PATCH on a topic: 405") {
    auto patched = c.patch_json(topic_path(id), {{"name", "renamed"}});
    check_error_response(patched, 405, kTmf688);
    CHECK_THAT(patched.header("allow"), Catch::Matchers::Contains("DELETE"));
  }

  SECTION("delete: 204, then 404 for get and delete") {
    auto del = c.request("DELETE", topic_path(id));
    CHECK(del.status == 204);
    check_error_response(c.get(topic_path(id)), 404, kTmf688, id);
    check_error_response(c.request("DELETE", topic_path(id)), 404, kTmf688);
    CHECK(total_count(c, kTopics) == 1);
  }

  SECTION("an unknown topic is 404") {
    check_error_response(c.get(topic_path("no-such-topic")), 404, kTmf688, "no-such-topic");
  }
}

TEST_CASE("event: a topic without a name or with a malformed filter is refused", "[event-hub]") {
  TmfdProcess tmfd(event_options());
  HttpClient c(tmfd.port());

  auto missing = check_error_response(post_json(c, kTopics, obj(R"({"contentQuery":"a=1"})")), 400, kTmf688, "name");
  CHECK(str(missing, "code") == "MISSING_ATTRIBUTE");

  const char* bad_filters[] = {
      "status",                 // no value
      "status=",                // empty value
      "=validated",             // no name
      "a..b=1",                 // empty path segment
      "a b=1",                  // not an attribute name
      "limit=10",               // paging is not a filter
      "sort=-eventTime",        // neither is sorting
      "fields=eventType",       // nor projection
      "eventTime.gt=1,2",       // a range operator takes one value
      "status=a,,b",            // empty entry in a comma list
      "status=%zz",             // malformed percent escape
  };
  for (const char* f : bad_filters) {
    for (const char* attribute : {"contentQuery", "headerQuery"}) {
      INFO(attribute << " = " << f);
      auto r = post_json(c, kTopics, json::object{{"name", "bad"}, {attribute, f}});
      auto e = check_error_response(r, 400, kTmf688, attribute);
      CHECK(str(e, "code") == "INVALID_ATTRIBUTE");
    }
  }

  auto not_text = check_error_response(post_json(c, kTopics, obj(R"({"name":"x","headerQuery":5})")), 400, kTmf688,
                                       "headerQuery");
  CHECK(str(not_text, "code") == "INVALID_ATTRIBUTE");

  // Well-formed filters of every kind are accepted.
  create_topic(c, "ok", "eventType=AlarmRaised,AlarmCleared&domain=network",
               "alarm.severity=critical&alarm.raisedAt.gte=2024-01-01T00:00:00Z&alarm.label=a%20b");
  CHECK(total_count(c, kTopics) == 1);
}

TEST_CASE("event: creating and deleting topics writes TopicCreateEvent and TopicDeleteEvent", "[event-hub]") {
  TmfdProcess tmfd(event_options());
  HttpClient c(tmfd.port());
  const std::string id = create_topic(c, "alarms");
  REQUIRE(c.request("DELETE", topic_path(id)).status == 204);

  std::vector<OutboxRow> rows;
  REQUIRE(eventually([&] { return (rows = read_outbox(tmfd, id)).size() >= 2; }, 5s));
  CHECK(event_types(rows) == std::vector<std::string>{"TopicCreateEvent", "TopicDeleteEvent"});
  for (const auto& row : rows) {
    CHECK(row.domain == "event");
    CHECK(row.resource_type == "topic");
    auto payload = json::parse(row.payload).as_object();
    check_spec(payload, kTmf688, row.event_type);
    CHECK(str(payload.at("event").as_object().at("topic").as_object(), "id") == id);
  }
}

// =============================================================================================
// Events on a topic
// =============================================================================================

TEST_CASE("event: publish, list and get events on a topic", "[event-hub]") {
  TmfdProcess tmfd(event_options());
  HttpClient c(tmfd.port());
  const std::string a = create_topic(c, "a");
  const std::string b = create_topic(c, "b");

  SECTION("a published event gets its id, href, eventId, eventTime and domain") {
    auto r = post_json(c, events_path(a), alarm("AlarmRaised", "critical", "first"), {{"X-Correlation-ID", "corr-688"}});
    auto event = require_object(r, 201, "POST event");
    const std::string id = str(event, "id");
    REQUIRE(!id.empty());
    CHECK(str(event, "href") == events_path(a) + "/" + id);
    CHECK(r.header("location") == events_path(a) + "/" + id);
    CHECK(r.header("etag") == "\"1\"");
    CHECK(str(event, "@type") == "Event");
    CHECK(str(event, "eventId") == id);
    CHECK(str(event, "eventType") == "AlarmRaised");
    CHECK(str(event, "domain") == "event");
    CHECK(str(event, "correlationId") == "corr-688");
    CHECK(!str(event, "eventTime").empty());
    CHECK(str(event.at("topic").as_object(), "id") == a);
    CHECK(event.at("event") == alarm("AlarmRaised", "critical", "first").at("event"));
    check_spec(event, kTmf688, "Event");

    auto got = c.get(events_path(a) + "/" + id);
    CHECK(require_object(got, 200, "GET event") == event);
    CHECK(got.header("etag") == "\"1\"");
    check_spec(as_object(got), kTmf688, "Event");

    // The event is in the outbox, about its topic, with the request's correlation id.
    auto rows = read_outbox(tmfd, a);
    REQUIRE(rows.size() == 2);  // TopicCreateEvent, then the published event
    CHECK(rows[1].event_type == "AlarmRaised");
    CHECK(rows[1].event_id == id);
    CHECK(rows[1].domain == "event");
    CHECK(rows[1].resource_type == "topicEvent");
    CHECK(rows[1].correlation_id == "corr-688");
    CHECK(json::parse(rows[1].payload) == event);
  }

  SECTION("what the client gives is kept: eventId, eventTime, domain, correlationId") {
    auto event = publish(c, a,
                         obj(R"({"eventId":"ev-1","eventTime":"2024-05-01T10:00:00Z","eventType":"AlarmCleared",
                                 "domain":"network","correlationId":"mine","timeOcurred":"2024-05-01T09:59:00Z",
                                 "description":"cleared","priority":"Low",
                                 "source":{"id":"olt-7","href":"http://example.org/olt-7"},
                                 "reportingSystem":{"id":"nms"},
                                 "relatedParty":[{"id":"p1","role":"owner","@referredType":"Individual"}],
                                 "analyticCharacteristic":[{"name":"load","value":0.5}],
                                 "event":{"any":["thing",1,true]}})"));
    CHECK(str(event, "eventId") == "ev-1");
    CHECK(str(event, "eventTime") == "2024-05-01T10:00:00Z");
    CHECK(str(event, "domain") == "network");
    CHECK(str(event, "correlationId") == "mine");
    check_spec(event, kTmf688, "Event");
    auto rows = read_outbox(tmfd, a);
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].event_id == "ev-1");
    CHECK(rows[1].domain == "network");
  }

  SECTION("the topic of the path wins over one in the body") {
    auto event = publish(c, a, with(alarm("AlarmRaised", "minor", "x"), obj(R"({"topic":{"id":"elsewhere"}})")));
    CHECK(str(event.at("topic").as_object(), "id") == a);
  }

  SECTION("list: only the topic's events, with counts, filters and fields") {
    publish(c, a, alarm("AlarmRaised", "critical", "a1"));
    publish(c, a, alarm("AlarmCleared", "critical", "a2"));
    publish(c, a, alarm("AlarmRaised", "minor", "a3"));
    publish(c, b, alarm("AlarmRaised", "critical", "b1"));

    auto all = c.get(events_path(a));
    REQUIRE(all.status == 200);
    CHECK(all.header("x-total-count") == "3");
    CHECK(all.header("x-result-count") == "3");
    auto items = as_array(all);
    REQUIRE(items.size() == 3);
    std::vector<std::string> titles;
    for (const auto& e : items) {
      check_spec(e, kTmf688, "Event");
      titles.push_back(str(e.as_object(), "title"));
    }
    CHECK(titles == std::vector<std::string>{"a1", "a2", "a3"});

    CHECK(total_count(c, events_path(a), "eventType=AlarmRaised") == 2);
    CHECK(total_count(c, events_path(a), "event.alarm.severity=critical") == 2);
    CHECK(total_count(c, events_path(b)) == 1);
    // A filter naming another topic cannot reach its events.
    CHECK(total_count(c, events_path(a), "topic.id=" + b) == 0);

    auto page = c.get(events_path(a) + "?offset=1&limit=1&sort=-title");
    REQUIRE(page.status == 200);
    CHECK(page.header("x-total-count") == "3");
    CHECK(page.header("x-result-count") == "1");
    CHECK(str(as_array(page).at(0).as_object(), "title") == "a2");

    auto projected = c.get(events_path(a) + "?fields=eventType,event.alarm.severity&limit=1");
    REQUIRE(projected.status == 200);
    auto first = as_array(projected).at(0).as_object();
    CHECK(first.size() == 5);  // id, href, @type, eventType, event
    CHECK(str(first, "eventType") == "AlarmRaised");
    CHECK(first.at("event") == obj(R"({"alarm":{"severity":"critical"}})"));

    auto one = c.get(events_path(a) + "/" + str(items.at(0).as_object(), "id") + "?fields=title");
    CHECK(require_object(one, 200, "GET event fields=title").size() == 4);

    check_error_response(c.get(events_path(a) + "?limit=x"), 400, kTmf688, "limit");
    check_error_response(c.get(events_path(a) + "/" + str(items.at(0).as_object(), "id") + "?title=a1"), 400,
                         kTmf688);
  }

  SECTION("an event of topic A is not visible under topic B") {
    auto event = publish(c, a, alarm("AlarmRaised", "critical", "only-a"));
    const std::string id = str(event, "id");
    CHECK(c.get(events_path(a) + "/" + id).status == 200);
    check_error_response(c.get(events_path(b) + "/" + id), 404, kTmf688, id);
    CHECK(total_count(c, events_path(b)) == 0);
  }

  SECTION("an unknown topic or event is 404") {
    check_error_response(post_json(c, events_path("nope"), alarm("AlarmRaised", "critical", "x")), 404, kTmf688,
                         "nope");
    check_error_response(c.get(events_path("nope")), 404, kTmf688, "nope");
    check_error_response(c.get(events_path("nope") + "/x"), 404, kTmf688);
    check_error_response(c.get(events_path(a) + "/no-such-event"), 404, kTmf688, "no-such-event");
  }

  SECTION("validation errors") {
    auto no_type = check_error_response(post_json(c, events_path(a), obj(R"({"title":"?"})")), 400, kTmf688,
                                        "eventType");
    CHECK(str(no_type, "code") == "MISSING_ATTRIBUTE");
    auto bad_time = check_error_response(
        post_json(c, events_path(a), obj(R"({"eventType":"X","eventTime":"yesterday"})")), 400, kTmf688,
        "eventTime");
    CHECK(str(bad_time, "code") == "INVALID_ATTRIBUTE");
    check_error_response(post_json(c, events_path(a), obj(R"({"eventType":"X","relatedParty":{"id":"p"}})")), 400,
                         kTmf688, "relatedParty");
    check_error_response(c.request("POST", events_path(a), "{not json", {{"Content-Type", "application/json"}}), 400,
                         kTmf688);
    check_error_response(c.request("POST", events_path(a), "[1]", {{"Content-Type", "application/json"}}), 400,
                         kTmf688);
    check_error_response(c.request("POST", events_path(a), R"({"eventType":"X"})", {{"Content-Type", "text/plain"}}),
                         415, kTmf688);
    check_error_response(c.request("DELETE", events_path(a) + "/x"), 405, kTmf688);
    CHECK(total_count(c, events_path(a)) == 0);
  }
}

// =============================================================================================
// Hubs on topics
// =============================================================================================

TEST_CASE("event: a topic hub receives the events of its topic and no other", "[event-hub]") {
  CallbackReceiver receiver;
  TmfdProcess tmfd(event_options());
  HttpClient c(tmfd.port());
  const std::string a = create_topic(c, "a");
  const std::string b = create_topic(c, "b");

  auto hub_a = register_hub(c, hubs_path(a), receiver.url("/a"));
  auto hub_b = register_hub(c, hubs_path(b), receiver.url("/b"));

  auto got = c.get(hubs_path(a) + "/" + str(hub_a, "id"));
  CHECK(str(require_object(got, 200, "GET topic hub"), "callback") == receiver.url("/a"));
  // A hub of topic A is not a hub of topic B.
  CHECK(c.get(hubs_path(b) + "/" + str(hub_a, "id")).status == 404);

  publish(c, b, alarm("AlarmRaised", "critical", "b1"));
  auto a1 = publish(c, a, alarm("AlarmRaised", "critical", "a1"));
  publish(c, a, alarm("AlarmCleared", "minor", "a2"));

  auto last_a = wait_for(receiver, "/a", [](const json::object& e) { return label_of(e) == "a2"; });
  REQUIRE(label_of(last_a) == "a2");
  auto last_b = wait_for(receiver, "/b", [](const json::object& e) { return label_of(e) == "b1"; });
  REQUIRE(label_of(last_b) == "b1");

  // In commit order, each event once, and only the topic's own.
  CHECK(labels(bodies(receiver, "/a")) == std::vector<std::string>{"a1", "a2"});
  CHECK(labels(bodies(receiver, "/b")) == std::vector<std::string>{"b1"});

  // A callback receives the event as stored.
  auto delivered = bodies(receiver, "/a").at(0);
  CHECK(delivered == a1);
  check_spec(delivered, kTmf688, "Event");

  SECTION("a hub on an unknown topic is 404") {
    check_error_response(post_json(c, hubs_path("nope"), json::object{{"callback", receiver.url("/x")}}), 404,
                         kTmf688);
  }

  SECTION("a deleted hub receives nothing more") {
    REQUIRE(c.request("DELETE", hubs_path(a) + "/" + str(hub_a, "id")).status == 204);
    CHECK(c.get(hubs_path(a) + "/" + str(hub_a, "id")).status == 404);
    auto hub_a2 = register_hub(c, hubs_path(a), receiver.url("/a2"));
    publish(c, a, alarm("AlarmRaised", "critical", "a3"));
    REQUIRE(label_of(wait_for(receiver, "/a2", [](const json::object& e) { return label_of(e) == "a3"; })) == "a3");
    CHECK(labels(bodies(receiver, "/a")) == std::vector<std::string>{"a1", "a2"});
  }
}

TEST_CASE("event: the topic's headerQuery and contentQuery and the hub's query filter what arrives",
          "[event-hub]") {
  CallbackReceiver receiver;
  TmfdProcess tmfd(event_options());
  HttpClient c(tmfd.port());
  // Only raised alarms (header), only critical or major ones (content).
  const std::string topic =
      create_topic(c, "alarms", "eventType=AlarmRaised,Marker", "alarm.severity=critical,major");
  register_hub(c, hubs_path(topic), receiver.url("/all"));
  register_hub(c, hubs_path(topic), receiver.url("/high"), "priority=High");

  publish(c, topic, alarm("AlarmRaised", "critical", "pass"));
  publish(c, topic, alarm("AlarmRaised", "minor", "minor"));            // content filter
  publish(c, topic, alarm("AlarmCleared", "critical", "cleared"));      // header filter
  publish(c, topic, with(alarm("AlarmRaised", "major", "low-prio"), obj(R"({"priority":"Low"})")));  // hub query
  publish(c, topic, with(alarm("AlarmRaised", "critical", "no-alarm"), obj(R"({"event":{"other":1}})")));
  // A last event that passes every filter: once it is in, everything before it was decided.
  publish(c, topic, alarm("Marker", "major", "marker"));

  REQUIRE(label_of(wait_for(receiver, "/all", [](const json::object& e) { return label_of(e) == "marker"; })) ==
          "marker");
  REQUIRE(label_of(wait_for(receiver, "/high", [](const json::object& e) { return label_of(e) == "marker"; })) ==
          "marker");
  CHECK(labels(bodies(receiver, "/all")) == std::vector<std::string>{"pass", "low-prio", "marker"});
  CHECK(labels(bodies(receiver, "/high")) == std::vector<std::string>{"pass", "marker"});
}

TEST_CASE("event: deleting a topic removes its hubs", "[event-hub]") {
  CallbackReceiver receiver;
  TmfdProcess tmfd(event_options());
  HttpClient c(tmfd.port());
  const std::string topic = create_topic(c, "short-lived");
  const std::string other = create_topic(c, "stays");
  auto hub = register_hub(c, hubs_path(topic), receiver.url("/t"));
  auto kept = register_hub(c, hubs_path(other), receiver.url("/o"));
  const std::string hub_path = hubs_path(topic) + "/" + str(hub, "id");
  REQUIRE(c.get(hub_path).status == 200);

  // Hub registrations are stored by the kernel: the row must go, not only the route answer 404.
  ReadOnlyDb db(tmfd.database_path());
  auto stored = [&](const json::object& h) {
    return db.count("SELECT count(*) FROM tmfd_hub WHERE id = ?", {str(h, "id")});
  };
  REQUIRE(stored(hub) == 1);

  REQUIRE(c.request("DELETE", topic_path(topic)).status == 204);
  // Removal follows the topic's delete event, asynchronously.
  CHECK(eventually([&] { return stored(hub) == 0; }, kDeliveryWait));
  check_error_response(c.get(hub_path), 404, kTmf688);
  check_error_response(post_json(c, hubs_path(topic), json::object{{"callback", receiver.url("/t")}}), 404, kTmf688);
  check_error_response(post_json(c, events_path(topic), alarm("AlarmRaised", "critical", "late")), 404, kTmf688);

  // The other topic's hub is untouched and still delivers.
  CHECK(stored(kept) == 1);
  CHECK(c.get(hubs_path(other) + "/" + str(kept, "id")).status == 200);
  publish(c, other, alarm("AlarmRaised", "critical", "still-here"));
  CHECK(label_of(wait_for(receiver, "/o", [](const json::object& e) { return label_of(e) == "still-here"; })) ==
        "still-here");
}

// =============================================================================================
// The central hub
// =============================================================================================

TEST_CASE("event: the central hub receives every module's events and the topics' events", "[event-hub]") {
  CallbackReceiver receiver;
  TmfdProcess tmfd(event_options());
  HttpClient c(tmfd.port());
  auto hub = register_hub(c, kCentralHub, receiver.url("/central"));

  // A party event.
  auto individual_r = post_json(c, kIndividuals, individual("Ada", "Lovelace"));
  auto ada = require_object(individual_r, 201, "POST individual");
  auto created = wait_for(receiver, "/central", [](const json::object& e) {
    return str(e, "eventType") == "IndividualCreateEvent";
  });
  REQUIRE(str(created, "eventType") == "IndividualCreateEvent");
  CHECK(str(created, "domain") == "party");
  CHECK(created.at("event").as_object().at("individual") == ada);
  check_spec(created, kTmf632, "IndividualCreateEvent");

  // The event module's own events, and an event published to a topic.
  const std::string topic = create_topic(c, "alarms", "eventType=AlarmRaised");
  auto topic_created = wait_for(receiver, "/central", [](const json::object& e) {
    return str(e, "eventType") == "TopicCreateEvent";
  });
  REQUIRE(str(topic_created, "eventType") == "TopicCreateEvent");
  check_spec(topic_created, kTmf688, "TopicCreateEvent");

  auto published = publish(c, topic, alarm("AlarmRaised", "minor", "to-everyone"));
  // The central hub is not a hub of the topic: the topic's filters do not apply to it.
  auto cleared = publish(c, topic, alarm("AlarmCleared", "minor", "cleared"));
  auto got = wait_for(receiver, "/central", [](const json::object& e) { return label_of(e) == "cleared"; });
  REQUIRE(label_of(got) == "cleared");
  CHECK(got == cleared);
  auto first = wait_for(receiver, "/central", [](const json::object& e) { return label_of(e) == "to-everyone"; });
  CHECK(first == published);
  check_spec(first, kTmf688, "Event");

  // The hub's own query filters it like any hub.
  auto only_party = register_hub(c, kCentralHub, receiver.url("/party"), "domain=party");
  publish(c, topic, alarm("AlarmRaised", "minor", "not-party"));
  REQUIRE(post_json(c, kIndividuals, individual("Charles", "Babbage")).status == 201);
  auto babbage = wait_for(receiver, "/party", [](const json::object& e) {
    return str(e, "eventType") == "IndividualCreateEvent";
  });
  REQUIRE(!babbage.empty());
  for (const auto& e : bodies(receiver, "/party")) CHECK(str(e, "domain") == "party");

  // Unregistering: 204, then the hub is gone.
  CHECK(c.request("DELETE", kCentralHub + "/" + str(hub, "id")).status == 204);
  CHECK(c.request("DELETE", kCentralHub + "/" + str(hub, "id")).status == 404);
  CHECK(c.request("DELETE", kCentralHub + "/" + str(only_party, "id")).status == 204);
}
