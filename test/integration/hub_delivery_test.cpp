// Durable hub callbacks as a client meets them, against the real tmfd binary over real sockets:
// hub registration on every API base path (POST/GET/DELETE {base}/hub, the hub's delivery status
// and dead letters), the callback allow list, query filters, domain scoping, and delivery to a
// callback receiver inside the test process (test/support/callback_receiver.hpp) that fails on
// purpose: error statuses, late answers, closed connections, refused connections, redirects.
// Whatever the receiver does, every event must arrive in the end (at least once, the same
// eventId when re-sent), in change order per resource, across restarts and crashes of tmfd; an
// event that keeps failing is dead-lettered and delivery goes on.
//
// Tests poll with deadlines and never assert on elapsed time. Checks that something does NOT
// happen never just wait a while: they look once the server shows it is done (a hub idle with
// nothing pending, a deleted hub's worker gone) and the receiver has read all that was sent.
#include <catch2/catch.hpp>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "callback_receiver.hpp"
#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "spec_checks.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;

namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kPartyBase = "/tmf-api/party/v4";
const std::string kPartyHub = kPartyBase + "/hub";
const std::string kCatalogBase = "/tmf-api/productCatalogManagement/v4";
const std::string kCustomerBase = "/tmf-api/customerManagement/v4";
const std::string kOrganizations = kPartyBase + "/organization";

// How long a test waits for deliveries: generous, since faults and backoff are involved and the
// machine is shared. Only a failing test waits that long.
constexpr auto kDeliveryWait = 60s;
constexpr auto kShortWait = 20s;

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

// The delivery block of the tests: loopback callbacks allowed, fast retries, short timeouts;
// `extra` lines (two-space indented keys) are added or override.
std::string delivery_block(const std::string& extra = {}, const std::string& allowed = R"(["127.0.0.1"])") {
  std::map<std::string, std::string> keys = {
      {"allowed_callbacks", allowed},   {"connections_per_subscription", "4"},
      {"connect_timeout_ms", "500"},    {"request_timeout_ms", "300"},
      {"backoff_initial_ms", "20"},     {"backoff_max_ms", "200"},
      {"max_attempts", "1000"},
  };
  // `extra` as "key: value" lines overriding the defaults above.
  std::size_t pos = 0;
  while (pos < extra.size()) {
    auto end = extra.find('\n', pos);
    if (end == std::string::npos) end = extra.size();
    std::string line = extra.substr(pos, end - pos);
    pos = end + 1;
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(' '));
      s.erase(s.find_last_not_of(' ') + 1);
      return s;
    };
    keys[trim(line.substr(0, colon))] = trim(line.substr(colon + 1));
  }
  std::string y = "delivery:\n";
  for (const auto& [k, v] : keys) y += "  " + k + ": " + v + "\n";
  return y;
}

TmfdOptions delivery_options(const std::string& extra = {}, bool with_catalog = false) {
  TmfdOptions o;
  if (with_catalog) o.extra_yaml += "  catalog:\n    enabled: true\n";  // continues `modules:`
  o.extra_yaml += delivery_block(extra);
  return o;
}

// ---------------------------------------------------------------------------------------------
// Hubs over HTTP
// ---------------------------------------------------------------------------------------------

json::object hub_body(const std::string& callback, const std::optional<std::string>& query = std::nullopt) {
  json::object b{{"callback", callback}};
  if (query) b["query"] = *query;
  return b;
}

// Registers a hub at `base`/hub and returns its id (REQUIREs 201).
std::string create_hub(HttpClient& c, const std::string& base, const std::string& callback,
                       const std::optional<std::string>& query = std::nullopt) {
  auto r = post_json(c, base + "/hub", hub_body(callback, query));
  auto o = require_object(r, 201, "POST " + base + "/hub");
  REQUIRE(!str(o, "id").empty());
  return str(o, "id");
}

json::object get_hub(HttpClient& c, const std::string& base, const std::string& id) {
  return require_object(c.get(base + "/hub/" + id), 200, "GET " + base + "/hub/" + id);
}

// The hub's deliveryStatus (REQUIREs 200 and the object).
json::object delivery_status(HttpClient& c, const std::string& base, const std::string& id) {
  auto hub = get_hub(c, base, id);
  auto it = hub.find("deliveryStatus");
  INFO(json::serialize(hub));
  REQUIRE(it != hub.end());
  REQUIRE(it->value().is_object());
  return it->value().as_object();
}

std::int64_t number(const json::object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) return -1;
  if (it->value().is_int64()) return it->value().as_int64();
  if (it->value().is_uint64()) return static_cast<std::int64_t>(it->value().as_uint64());
  if (it->value().is_double()) return static_cast<std::int64_t>(it->value().as_double());
  return -1;
}

// Caught up: idle with nothing pending.
bool hub_idle(HttpClient& c, const std::string& base, const std::string& id) {
  auto s = delivery_status(c, base, id);
  return str(s, "state") == "idle" && number(s, "pendingEvents") == 0;
}

void require_idle(HttpClient& c, const std::string& base, const std::string& id) {
  const bool idle = eventually([&] { return hub_idle(c, base, id); }, kDeliveryWait);
  INFO("hub " << id << " status " << json::serialize(delivery_status(c, base, id)));
  REQUIRE(idle);
}

std::string metrics(HttpClient& c) {
  auto r = c.get("/metrics");
  REQUIRE(r.status == 200);
  return r.body;
}

// The value of a per-hub metric, -1 when absent.
double hub_metric(HttpClient& c, const std::string& name, const std::string& hub_id) {
  return metric_value(metrics(c), name + "{hub=\"" + hub_id + "\"}");
}

// Hub delivery workers running in tmfd: one per hub, and a deleted hub's until it has ended.
double hub_workers(HttpClient& c) { return metric_value(metrics(c), "tmfd_hub_workers"); }

// Waits until a deleted hub is gone for good, REQUIRing it: its worker has ended (the workers are
// down to `workers_left`), so tmfd sends nothing more for it, and the receiver has read all the
// worker sent before: no connection is open but those that carried requests to `live_target`, a
// hub that is still registered and idle.
void require_hub_gone(HttpClient& c, const CallbackReceiver& rx, double workers_left, const std::string& live_target) {
  const bool ended = eventually([&] { return hub_workers(c) == workers_left; }, kShortWait);
  INFO("tmfd_hub_workers " << hub_workers(c) << ", expected " << workers_left);
  REQUIRE(ended);
  const bool drained = eventually(
      [&] {
        std::set<std::size_t> live;
        for (const auto& r : rx.received())
          if (r.target == live_target) live.insert(r.connection);
        for (auto serial : rx.open_connections())
          if (!live.count(serial)) return false;
        return true;
      },
      kShortWait);
  REQUIRE(drained);
}

// ---------------------------------------------------------------------------------------------
// Changes and what the receiver must see of them
// ---------------------------------------------------------------------------------------------

// One change made through the API: the event it must produce, recognised by its resource id and
// the givenName it set (every change of a test sets a distinct one).
struct Change {
  std::string resource_id;
  std::string event_type;
  std::string given_name;
  std::string correlation_id;
};

// The changes of a test, per resource, in the order they were made.
using Changes = std::map<std::string, std::vector<Change>>;

// Creates an individual (givenName `given`) and records its create event. REQUIREs 201.
std::string create_individual(HttpClient& c, Changes& changes, const std::string& given,
                              const std::string& family = "Delivery") {
  const std::string cid = "create-" + given;
  auto r = post_json(c, kIndividuals, individual(given, family), {{"X-Correlation-ID", cid}});
  INFO(r.body);
  REQUIRE(r.status == 201);
  const std::string id = id_of(r);
  changes[id].push_back({id, "IndividualCreateEvent", given, cid});
  return id;
}

// Sets givenName `given` on individual `id` with a merge patch; records its attribute event.
void rename_individual(HttpClient& c, Changes& changes, const std::string& id, const std::string& given) {
  const std::string cid = "patch-" + given;
  auto r = merge_patch(c, kIndividuals, id, {{"givenName", given}}, {{"X-Correlation-ID", cid}});
  INFO(r.body);
  REQUIRE(r.status == 200);
  changes[id].push_back({id, "IndividualAttributeValueChangeEvent", given, cid});
}

std::size_t total_changes(const Changes& changes) {
  std::size_t n = 0;
  for (const auto& [id, list] : changes) n += list.size();
  return n;
}

// The requests to callback path `target`.
std::vector<ReceivedRequest> to_target(const std::vector<ReceivedRequest>& all, const std::string& target) {
  std::vector<ReceivedRequest> out;
  for (const auto& r : all)
    if (r.target == target) out.push_back(r);
  return out;
}

// Which change a request carries: its position in changes[resource], or -1.
int change_index(const Changes& changes, const ReceivedRequest& r) {
  auto it = changes.find(r.resource_id());
  if (it == changes.end()) return -1;
  const std::string given = r.resource_attribute("givenName");
  const std::string type = r.event_type();
  for (std::size_t i = 0; i < it->second.size(); ++i)
    if (it->second[i].given_name == given && it->second[i].event_type == type) return static_cast<int>(i);
  return -1;
}

// Has every change of `changes` been answered 2xx at `target`?
bool all_accepted(const std::vector<ReceivedRequest>& all, const std::string& target, const Changes& changes) {
  std::set<std::pair<std::string, int>> got;
  for (const auto& r : all)
    if (r.target == target && r.accepted()) got.insert({r.resource_id(), change_index(changes, r)});
  for (const auto& [id, list] : changes)
    for (std::size_t i = 0; i < list.size(); ++i)
      if (!got.count({id, static_cast<int>(i)})) return false;
  return true;
}

// Waits until every change has arrived at `target` answered 2xx; REQUIREs it, listing what is
// missing on failure.
void require_all_accepted(const CallbackReceiver& rx, const std::string& target, const Changes& changes,
                          std::chrono::milliseconds limit = kDeliveryWait) {
  const bool ok =
      rx.wait_until([&](const auto& all) { return all_accepted(all, target, changes); }, Clock::now() + limit);
  if (!ok) {
    const auto all = rx.received();
    std::string missing;
    for (const auto& [id, list] : changes)
      for (std::size_t i = 0; i < list.size(); ++i) {
        bool got = false;
        for (const auto& r : all)
          if (r.target == target && r.accepted() && r.resource_id() == id &&
              change_index(changes, r) == static_cast<int>(i))
            got = true;
        if (!got) missing += "\n  " + id + " #" + std::to_string(i) + " " + list[i].event_type + " " + list[i].given_name;
      }
    INFO("received " << all.size() << " requests (" << rx.count() << " answered 2xx); never answered 2xx:" << missing);
    REQUIRE(ok);
  }
}

// The delivery contract, checked on everything the receiver got at `target`:
//  - every request is a POST of application/json carrying a known change, with its correlation
//    id in X-Correlation-ID and in the body, and the same eventId each time that change is sent
//    (and different changes have different eventIds);
//  - every change was answered 2xx at least once;
//  - per resource, in change order: no attempt of a change arrives before the previous change
//    of that resource was answered 2xx (so the first successful arrivals are in change order).
void check_delivery(const std::vector<ReceivedRequest>& all, const std::string& target, const Changes& changes) {
  const auto got = to_target(all, target);
  std::map<std::pair<std::string, int>, std::string> event_ids;     // change -> eventId
  std::map<std::pair<std::string, int>, std::size_t> first_success;  // change -> arrival index
  std::set<std::string> ids_seen;
  for (const auto& r : got) {
    INFO("request #" << r.index << " status " << r.status << ": " << r.body);
    CHECK(r.method == "POST");
    CHECK(r.content_type().rfind("application/json", 0) == 0);
    const int k = change_index(changes, r);
    REQUIRE(k >= 0);  // an event nobody asked for
    const auto& change = changes.at(r.resource_id())[static_cast<std::size_t>(k)];
    CHECK(r.correlation_id() == change.correlation_id);
    CHECK(str(r.json().as_object(), "correlationId") == change.correlation_id);
    const std::string eid = r.event_id();
    CHECK(!eid.empty());
    auto [it, fresh] = event_ids.emplace(std::make_pair(change.resource_id, k), eid);
    if (fresh) {
      CHECK(ids_seen.insert(eid).second);  // another change already had this eventId
    } else {
      CHECK(it->second == eid);  // a re-send must keep the eventId
    }
    if (r.accepted()) first_success.emplace(std::make_pair(change.resource_id, k), r.index);
  }
  for (const auto& [id, list] : changes) {
    for (std::size_t k = 0; k < list.size(); ++k) {
      INFO("resource " << id << " change #" << k << " (" << list[k].event_type << " " << list[k].given_name << ")");
      const bool arrived = first_success.count({id, static_cast<int>(k)}) > 0;
      CHECK(arrived);
      if (k == 0 || !arrived) continue;
      const auto prev = first_success.find({id, static_cast<int>(k - 1)});
      if (prev == first_success.end()) continue;  // reported above
      // No attempt of change k before change k-1 got its 2xx.
      for (const auto& r : got) {
        if (r.resource_id() != id || change_index(changes, r) != static_cast<int>(k)) continue;
        INFO("attempt #" << r.index << " of change #" << k << " (status " << r.status << ") came before the first "
                         << "2xx of change #" << (k - 1) << " (#" << prev->second << ")");
        CHECK(r.index > prev->second);
      }
    }
  }
}

std::size_t count_if_target(const std::vector<ReceivedRequest>& all, const std::string& target,
                            const std::function<bool(const ReceivedRequest&)>& pred) {
  std::size_t n = 0;
  for (const auto& r : all)
    if (r.target == target && pred(r)) ++n;
  return n;
}

// Waits until the receiver has seen `n` more requests at `target` satisfying `pred` than
// `already`; REQUIREs it.
void wait_attempts(const CallbackReceiver& rx, const std::string& target, std::size_t n,
                   const std::function<bool(const ReceivedRequest&)>& pred, const char* what) {
  const bool ok = rx.wait_until([&](const auto& all) { return count_if_target(all, target, pred) >= n; },
                                Clock::now() + kShortWait);
  INFO("waiting for " << n << " requests: " << what);
  REQUIRE(ok);
}

} // namespace

// =============================================================================================
// Registration
// =============================================================================================

TEST_CASE("delivery: a hub is registered, read, listed and deleted", "[delivery]") {
  TmfdProcess tmfd(delivery_options());
  HttpClient c(tmfd.port());
  CallbackReceiver rx;
  const std::string callback = rx.url("/hooks/party");
  const std::string query = "eventType=IndividualCreateEvent&event.individual.familyName=Smith";

  auto r = post_json(c, kPartyHub, hub_body(callback, query));
  auto created = require_object(r, 201, "POST hub");
  check_spec(created, kTmf632, "EventSubscription");
  const std::string id = str(created, "id");
  REQUIRE(!id.empty());
  CHECK(r.header("location") == kPartyHub + "/" + id);
  CHECK(str(created, "callback") == callback);
  CHECK(str(created, "query") == query);
  const std::string href = str(created, "href");
  CHECK(href.size() >= (kPartyHub + "/" + id).size());
  CHECK(href.substr(href.size() - (kPartyHub + "/" + id).size()) == kPartyHub + "/" + id);

  SECTION("read by id, with its delivery status") {
    auto hub = get_hub(c, kPartyBase, id);
    check_spec(hub, kTmf632, "EventSubscription");
    CHECK(str(hub, "id") == id);
    CHECK(str(hub, "href") == href);
    CHECK(str(hub, "callback") == callback);
    CHECK(str(hub, "query") == query);
    auto s = delivery_status(c, kPartyBase, id);
    INFO(json::serialize(s));
    const std::string state = str(s, "state");
    CHECK((state == "idle" || state == "delivering" || state == "retrying"));
    CHECK(number(s, "deliveredSequence") >= 0);
    CHECK(number(s, "pendingEvents") >= 0);
    CHECK(number(s, "deadLetterCount") == 0);
    CHECK(number(s, "consecutiveFailures") == 0);
    // Part of the contract's deliveryStatus even when there is no error yet (null or "").
    CHECK(s.contains("lastError"));
    if (s.contains("lastError")) CHECK((s.at("lastError").is_null() || s.at("lastError").is_string()));
    // Nothing happened since: it is caught up.
    CHECK(eventually([&] { return hub_idle(c, kPartyBase, id); }, kShortWait));
  }

  SECTION("listed") {
    const std::string other = create_hub(c, kPartyBase, rx.url("/other"));
    auto list = as_array(c.get(kPartyHub));
    std::set<std::string> ids;
    for (const auto& v : list) {
      REQUIRE(v.is_object());
      check_spec(v, kTmf632, "EventSubscription");
      ids.insert(str(v.as_object(), "id"));
      if (str(v.as_object(), "id") == id) CHECK(str(v.as_object(), "callback") == callback);
    }
    CHECK(ids == std::set<std::string>{id, other});
  }

  SECTION("no dead letters yet") {
    auto r2 = c.get(kPartyHub + "/" + id + "/deadLetter");
    REQUIRE(r2.status == 200);
    CHECK(as_array(r2).empty());
  }

  SECTION("a query is optional") {
    auto r2 = post_json(c, kPartyHub, hub_body(rx.url("/all")));
    auto o = require_object(r2, 201, "POST hub without query");
    check_spec(o, kTmf632, "EventSubscription");
    CHECK((!o.contains("query") || str(o, "query").empty()));
  }

  SECTION("deleted: 204, then 404 everywhere") {
    auto d = c.request("DELETE", kPartyHub + "/" + id);
    CHECK(d.status == 204);
    check_typed_error_response(c.get(kPartyHub + "/" + id), 404, kTmf632);
    check_typed_error_response(c.request("DELETE", kPartyHub + "/" + id), 404, kTmf632);
    check_typed_error_response(c.get(kPartyHub + "/" + id + "/deadLetter"), 404, kTmf632);
    for (const auto& v : as_array(c.get(kPartyHub))) CHECK(str(v.as_object(), "id") != id);
  }
}

TEST_CASE("delivery: every API base path with resource kinds has hubs", "[delivery]") {
  TmfdProcess tmfd(delivery_options({}, true));
  HttpClient c(tmfd.port());
  CallbackReceiver rx;
  for (const std::string& base :
       {kPartyBase, std::string("/tmf-api/partyRoleManagement/v4"), kCustomerBase,
        std::string("/tmf-api/accountManagement/v4"), kCatalogBase, std::string("/tmf-api/serviceCatalogManagement/v4"),
        std::string("/tmf-api/resourceCatalog/v4")}) {
    INFO(base);
    const std::string id = create_hub(c, base, rx.url("/x"));
    CHECK(str(get_hub(c, base, id), "id") == id);
    CHECK(as_array(c.get(base + "/hub")).size() == 1);  // hubs of other APIs are not listed here
    CHECK(c.request("DELETE", base + "/hub/" + id).status == 204);
  }
}

TEST_CASE("delivery: bad hub registrations are refused with TMF errors", "[delivery]") {
  TmfdProcess tmfd(delivery_options());
  HttpClient c(tmfd.port());
  CallbackReceiver rx;
  const std::string good = rx.url("/cb");

  SECTION("no or bad callback: 400") {
    check_typed_error_response(post_json(c, kPartyHub, json::object{}), 400, kTmf632, "callback");
    check_typed_error_response(post_json(c, kPartyHub, {{"query", "eventType=IndividualCreateEvent"}}), 400, kTmf632,
                               "callback");
    check_typed_error_response(post_json(c, kPartyHub, {{"callback", 42}}), 400, kTmf632, "callback");
    check_typed_error_response(post_json(c, kPartyHub, {{"callback", nullptr}}), 400, kTmf632, "callback");
    for (const std::string& bad :
         {std::string(""), std::string("not a url"), std::string("127.0.0.1/cb"), std::string("ftp://127.0.0.1/cb"),
          std::string("file:///etc/passwd"), std::string("http://"), std::string("http://127.0.0.1:99999/cb"),
          std::string("http://user:pw@127.0.0.1/cb"), std::string("http://127.0.0.1/c b")}) {
      INFO("callback '" << bad << "'");
      check_typed_error_response(post_json(c, kPartyHub, hub_body(bad)), 400, kTmf632, "callback");
    }
  }

  SECTION("a callback host not on the allow list: 400") {
    for (const std::string& bad : {std::string("http://example.com/cb"), std::string("http://10.0.0.1:8080/cb"),
                                  std::string("http://127.0.0.2/cb"), std::string("https://hooks.example.com/cb")}) {
      INFO("callback '" << bad << "'");
      check_typed_error_response(post_json(c, kPartyHub, hub_body(bad)), 400, kTmf632, "callback");
    }
  }

  SECTION("a bad query: 400") {
    for (const std::string& bad : {std::string("=x"), std::string("eventType=%zz"), std::string("limit=5"),
                                  std::string("offset=1"), std::string("fields=eventId"), std::string("sort=eventTime")}) {
      INFO("query '" << bad << "'");
      check_typed_error_response(post_json(c, kPartyHub, hub_body(good, bad)), 400, kTmf632);
    }
    check_typed_error_response(post_json(c, kPartyHub, {{"callback", good}, {"query", 5}}), 400, kTmf632, "query");
  }

  SECTION("a body that is not a JSON object: 400") {
    auto r = c.request("POST", kPartyHub, "not json", {{"Content-Type", "application/json"}});
    check_typed_error_response(r, 400, kTmf632);
    r = c.request("POST", kPartyHub, "[1,2]", {{"Content-Type", "application/json"}});
    check_typed_error_response(r, 400, kTmf632);
  }

  SECTION("an unknown hub: 404") {
    check_typed_error_response(c.get(kPartyHub + "/no-such-hub"), 404, kTmf632);
    check_typed_error_response(c.request("DELETE", kPartyHub + "/no-such-hub"), 404, kTmf632);
    check_typed_error_response(c.get(kPartyHub + "/no-such-hub/deadLetter"), 404, kTmf632);
  }

  // Nothing refused was registered.
  CHECK(as_array(c.get(kPartyHub)).empty());
}

TEST_CASE("delivery: the callback allow list", "[delivery]") {
  SECTION("empty (the default): no callback at all") {
    TmfdProcess tmfd;  // no delivery block
    HttpClient c(tmfd.port());
    CallbackReceiver rx;
    check_typed_error_response(post_json(c, kPartyHub, hub_body(rx.url("/cb"))), 400, kTmf632, "callback");
    CHECK(as_array(c.get(kPartyHub)).empty());
  }

  SECTION("host:port, *.suffix and CIDR entries") {
    TmfdOptions options;
    options.extra_yaml = delivery_block({}, R"(["127.0.0.1:9", "*.example.com", "10.0.0.0/8"])");
    TmfdProcess tmfd(options);
    HttpClient c(tmfd.port());
    for (const std::string& ok : {std::string("http://127.0.0.1:9/cb"), std::string("http://hooks.example.com/cb"),
                                 std::string("https://hooks.example.com:8443/cb?x=1"), std::string("http://10.1.2.3/cb"),
                                 std::string("http://10.255.0.1:8080/deep/path")}) {
      INFO("callback '" << ok << "'");
      auto r = post_json(c, kPartyHub, hub_body(ok));
      INFO(r.body);
      CHECK(r.status == 201);
    }
    for (const std::string& bad : {std::string("http://127.0.0.1:10/cb"), std::string("http://127.0.0.1/cb"),
                                  std::string("http://example.org/cb"), std::string("http://hooks.example.com.evil.org/cb"),
                                  std::string("http://11.0.0.1/cb")}) {
      INFO("callback '" << bad << "'");
      check_typed_error_response(post_json(c, kPartyHub, hub_body(bad)), 400, kTmf632, "callback");
    }
  }
}

// =============================================================================================
// Delivery
// =============================================================================================

TEST_CASE("delivery: events are POSTed to the callback as registered, on keep-alive connections", "[delivery]") {
  TmfdProcess tmfd(delivery_options());
  HttpClient c(tmfd.port());
  CallbackReceiver rx;
  const std::string target = "/hooks/party?token=a%20b&x=1";
  Changes before;
  const std::string before_id = create_individual(c, before, "Before");  // committed before the hub
  const std::string hub = create_hub(c, kPartyBase, rx.url(target));

  Changes changes;
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(create_individual(c, changes, "k" + std::to_string(i)));
  for (int round = 1; round <= 2; ++round)
    for (std::size_t i = 0; i < ids.size(); ++i)
      rename_individual(c, changes, ids[i], "k" + std::to_string(i) + "-v" + std::to_string(round));
  const std::size_t n = total_changes(changes);  // 12

  require_all_accepted(rx, target, changes);
  require_idle(c, kPartyBase, hub);
  const auto all = rx.received();
  check_delivery(all, target, changes);
  // Only events committed after the hub's creation.
  for (const auto& r : all) CHECK(r.resource_id() != before_id);

  // A spec-valid TMF event of the right resource, as the outbox has it.
  for (const auto& r : all) {
    auto e = r.json().as_object();
    INFO(r.body);
    check_spec(e, kTmf632, r.event_type());
    CHECK(str(e, "domain") == "party");
    CHECK(r.resource_collection() == "individual");
    CHECK(!str(e, "eventTime").empty());
    CHECK(parse_utc_timestamp(str(e, "eventTime")).has_value());
    CHECK(r.header("host").find("127.0.0.1") == 0);
  }
  // Keep-alive: the connections are reused (at most connections_per_subscription of them, with
  // no failure in between).
  CHECK(rx.connections_accepted() <= 4);
  CHECK(rx.connections_accepted() < rx.attempts());
  CHECK(rx.failed().empty());

  // Metrics of the hub.
  const auto text = metrics(c);
  INFO(text);
  CHECK(metric_value(text, "tmfd_hub_events_delivered_total{hub=\"" + hub + "\"}") >= static_cast<double>(n));
  CHECK(metric_value(text, "tmfd_hub_delivery_failures_total{hub=\"" + hub + "\"}") == 0);
  CHECK(metric_value(text, "tmfd_hub_dead_letters_total{hub=\"" + hub + "\"}") == 0);
  CHECK(metric_value(text, "tmfd_hub_pending_events{hub=\"" + hub + "\"}") == 0);
  auto s = delivery_status(c, kPartyBase, hub);
  CHECK(number(s, "deliveredSequence") > 0);
  CHECK(number(s, "consecutiveFailures") == 0);
  CHECK(number(s, "deadLetterCount") == 0);
}

TEST_CASE("delivery: a hub's query selects the events it gets", "[delivery]") {
  TmfdProcess tmfd(delivery_options());
  HttpClient c(tmfd.port());
  CallbackReceiver rx;
  const std::string smith_creates = create_hub(c, kPartyBase, rx.url("/smith-creates"),
                                               "eventType=IndividualCreateEvent&event.individual.familyName=Smith");
  const std::string changes_only =
      create_hub(c, kPartyBase, rx.url("/changes"), "eventType=IndividualAttributeValueChangeEvent");
  const std::string ann_or_bob = create_hub(c, kPartyBase, rx.url("/ann-or-bob"), "event.individual.givenName=Ann,Bob");
  const std::string everything = create_hub(c, kPartyBase, rx.url("/all"));

  Changes changes;
  const std::string smith = create_individual(c, changes, "Ann", "Smith");
  const std::string jones = create_individual(c, changes, "Bob", "Jones");
  rename_individual(c, changes, smith, "Cid");
  const std::string smith2 = create_individual(c, changes, "Dan", "Smith");
  require_object(post_json(c, kOrganizations, {{"tradingName", "Smith Ltd"}}), 201, "organization");

  for (const auto& h : {smith_creates, changes_only, ann_or_bob, everything}) require_idle(c, kPartyBase, h);
  // The unfiltered hub got everything, a bound on what the others may still get.
  require_all_accepted(rx, "/all", changes);
  const auto all = rx.received();

  auto summary = [&](const std::string& target) {
    std::multiset<std::string> out;
    for (const auto& r : to_target(all, target))
      if (r.accepted()) out.insert(r.event_type() + " " + r.resource_attribute("givenName"));
    return out;
  };
  using S = std::multiset<std::string>;
  CHECK(summary("/smith-creates") == S{"IndividualCreateEvent Ann", "IndividualCreateEvent Dan"});
  CHECK(summary("/changes") == S{"IndividualAttributeValueChangeEvent Cid"});
  CHECK(summary("/ann-or-bob") == S{"IndividualCreateEvent Ann", "IndividualCreateEvent Bob"});
  CHECK(summary("/all").size() == 5);  // the four individual events and the organization's
  (void)jones;
  (void)smith2;
}

TEST_CASE("delivery: a hub gets the events of its own API only", "[delivery]") {
  TmfdProcess tmfd(delivery_options({}, true));
  HttpClient c(tmfd.port());
  CallbackReceiver rx;
  const std::string party = create_hub(c, kPartyBase, rx.url("/party"));
  const std::string catalog = create_hub(c, kCatalogBase, rx.url("/catalog"));
  const std::string customer = create_hub(c, kCustomerBase, rx.url("/customer"));

  Changes changes;
  const std::string ind = create_individual(c, changes, "Ada");
  REQUIRE(post_json(c, kOrganizations, {{"tradingName", "Engines"}}).status == 201);
  auto cat = post_json(c, kCatalogBase + "/catalog", {{"name", "Consumer catalog"}});
  REQUIRE(cat.status == 201);
  auto cust = post_json(c, kCustomerBase + "/customer",
                        obj(R"({"name":"Ada as a customer","engagedParty":{"id":"x","@referredType":"Individual"}})"));
  REQUIRE(cust.status == 201);

  require_idle(c, kPartyBase, party);
  require_idle(c, kCatalogBase, catalog);
  require_idle(c, kCustomerBase, customer);
  const bool all_in = rx.wait_until(
      [&](const auto& all) {
        return count_if_target(all, "/party", [](const auto& r) { return r.accepted(); }) >= 2 &&
               count_if_target(all, "/catalog", [](const auto& r) { return r.accepted(); }) >= 1 &&
               count_if_target(all, "/customer", [](const auto& r) { return r.accepted(); }) >= 1;
      },
      Clock::now() + kDeliveryWait);
  REQUIRE(all_in);
  // Each hub is idle with nothing pending: it has passed every event above (all committed before
  // their 201), and sent and had answered any it took in scope, wrongly or not. The receiver marks
  // a request answered a moment after writing the answer: wait for that too.
  REQUIRE(rx.wait_until(
      [](const auto& received) {
        return std::all_of(received.begin(), received.end(), [](const auto& r) { return r.answered; });
      },
      Clock::now() + kShortWait));
  const auto all = rx.received();

  auto collections = [&](const std::string& target) {
    std::multiset<std::string> out;
    for (const auto& r : to_target(all, target))
      if (r.accepted()) out.insert(str(r.json().as_object(), "domain") + ":" + r.resource_collection());
    return out;
  };
  using S = std::multiset<std::string>;
  CHECK(collections("/party") == S{"party:individual", "party:organization"});
  // The catalog module names its own domain; what matters is that it is not the party's.
  const auto catalog_got = collections("/catalog");
  REQUIRE(catalog_got.size() == 1);
  CHECK(catalog_got.begin()->rfind("party:", 0) == std::string::npos);
  CHECK(catalog_got.begin()->substr(catalog_got.begin()->find(':') + 1) == "catalog");
  CHECK(collections("/customer") == S{"customer:customer"});
  (void)ind;
}

TEST_CASE("delivery: every event arrives, in order per resource, through a receiver that keeps failing",
          "[delivery]") {
  TmfdProcess tmfd(delivery_options());
  HttpClient c(tmfd.port());
  CallbackReceiver rx;
  const std::string target = "/hooks/faulty";
  const std::string hub = create_hub(c, kPartyBase, rx.url(target));
  auto is = [](auto pred) { return std::function<bool(const ReceivedRequest&)>(pred); };

  Changes changes;
  std::vector<std::string> ids;
  constexpr int kResources = 6;
  auto patch_round = [&](int round) {
    for (int i = 0; i < kResources; ++i)
      rename_individual(c, changes, ids[static_cast<std::size_t>(i)], "r" + std::to_string(i) + "-v" + std::to_string(round));
  };

  // 500 for the first requests, while the resources are created.
  rx.fail_next(8, 500);
  for (int i = 0; i < kResources; ++i) ids.push_back(create_individual(c, changes, "r" + std::to_string(i) + "-v0"));
  wait_attempts(rx, target, 8, is([](const auto& r) { return r.status == 500; }), "8 answered 500");

  // Answers later than request_timeout_ms (300): failures for tmfd, then retried.
  rx.set_answer(Answer::slow(700ms));
  patch_round(1);
  wait_attempts(rx, target, 3, is([](const auto& r) { return r.delay > 0ms; }), "3 slow answers");

  // Connections closed without an answer.
  rx.set_answer(Answer::hang_up());
  patch_round(2);
  wait_attempts(rx, target, 3, is([](const auto& r) { return r.status == 0; }), "3 hang-ups");

  // 503 until told otherwise.
  rx.set_answer(Answer::fail(503));
  patch_round(3);
  wait_attempts(rx, target, 3, is([](const auto& r) { return r.status == 503; }), "3 answered 503");

  // Refused connections: the receiver is not listening.
  rx.stop();
  patch_round(4);
  {
    // tmfd reports the failures while it retries.
    bool retrying = eventually(
        [&] {
          auto s = delivery_status(c, kPartyBase, hub);
          return str(s, "state") == "retrying" && number(s, "consecutiveFailures") > 0 &&
                 s.contains("lastError") && s.at("lastError").is_string() && !s.at("lastError").as_string().empty() &&
                 number(s, "pendingEvents") > 0;
        },
        kShortWait);
    INFO(json::serialize(delivery_status(c, kPartyBase, hub)));
    CHECK(retrying);
    CHECK(hub_metric(c, "tmfd_hub_delivery_failures_total", hub) > 0);
    CHECK(hub_metric(c, "tmfd_hub_pending_events", hub) > 0);
  }

  // Redirects are failures too, and are not followed.
  rx.start();
  rx.set_answer(Answer::redirect(rx.url("/elsewhere"), 307));
  wait_attempts(rx, target, 3, is([](const auto& r) { return r.status == 307; }), "3 redirected");

  // Then a receiver that works: everything arrives.
  rx.reset_faults();
  require_all_accepted(rx, target, changes);
  require_idle(c, kPartyBase, hub);
  const auto all = rx.received();
  check_delivery(all, target, changes);
  for (const auto& r : all) CHECK(r.target != "/elsewhere");

  const auto s = delivery_status(c, kPartyBase, hub);
  CHECK(number(s, "deadLetterCount") == 0);
  CHECK(number(s, "consecutiveFailures") == 0);
  const auto text = metrics(c);
  INFO(text);
  CHECK(metric_value(text, "tmfd_hub_events_delivered_total{hub=\"" + hub + "\"}") >=
        static_cast<double>(total_changes(changes)));
  CHECK(metric_value(text, "tmfd_hub_delivery_failures_total{hub=\"" + hub + "\"}") >=
        static_cast<double>(rx.failed().size()));
  CHECK(metric_value(text, "tmfd_hub_dead_letters_total{hub=\"" + hub + "\"}") == 0);
  CHECK(metric_value(text, "tmfd_hub_pending_events{hub=\"" + hub + "\"}") == 0);
}

TEST_CASE("delivery: resumes after a restart of tmfd in the middle of delivering", "[delivery]") {
  auto tmfd = std::make_unique<TmfdProcess>(delivery_options());
  auto c = std::make_unique<HttpClient>(tmfd->port());
  CallbackReceiver rx;
  const std::string target = "/hooks/restart";
  const std::string hub = create_hub(*c, kPartyBase, rx.url(target));

  // A backlog made while the receiver refuses connections.
  rx.stop();
  Changes changes;
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(create_individual(*c, changes, "s" + std::to_string(i) + "-v0"));
  for (int round = 1; round <= 4; ++round)
    for (std::size_t i = 0; i < ids.size(); ++i)
      rename_individual(*c, changes, ids[i], "s" + std::to_string(i) + "-v" + std::to_string(round));
  const std::size_t n = total_changes(changes);  // 50
  REQUIRE(eventually([&] { return number(delivery_status(*c, kPartyBase, hub), "pendingEvents") >= static_cast<std::int64_t>(n); },
                     kShortWait));

  // Part of it delivered (slowly), then the receiver refuses again, and tmfd restarts.
  rx.set_answer(Answer::slow(40ms));
  rx.start();
  REQUIRE(rx.wait_for_count(10, kDeliveryWait));
  rx.stop();
  const auto before_restart = rx.accepted();
  REQUIRE(before_restart.size() < n);

  const std::string mode = GENERATE(as<std::string>{}, "graceful", "crash");
  INFO("restart: " << mode);
  c.reset();
  if (mode == "crash") {
    ::kill(tmfd->pid(), SIGKILL);
  }
  if (mode == "graceful") CHECK(tmfd->stop() == 0);
  tmfd->restart();
  c = std::make_unique<HttpClient>(tmfd->port());

  // The hub survived, with its backlog.
  auto hub_after = get_hub(*c, kPartyBase, hub);
  CHECK(str(hub_after, "callback") == rx.url(target));
  CHECK(eventually([&] { return number(delivery_status(*c, kPartyBase, hub), "pendingEvents") > 0; }, kShortWait));

  // Changes after the restart too.
  ids.push_back(create_individual(*c, changes, "after-v0"));
  rename_individual(*c, changes, ids.back(), "after-v1");

  rx.reset_faults();
  rx.start();
  require_all_accepted(rx, target, changes);
  require_idle(*c, kPartyBase, hub);
  const auto all = rx.received();
  check_delivery(all, target, changes);

  // The cursor was kept: not everything delivered before the restart was sent again.
  std::set<std::string> before_ids;
  for (const auto& r : before_restart) before_ids.insert(r.event_id());
  std::set<std::string> resent;
  for (const auto& r : all)
    if (r.index > before_restart.back().index && before_ids.count(r.event_id())) resent.insert(r.event_id());
  INFO(resent.size() << " of the " << before_ids.size() << " events delivered before the restart were sent again");
  if (mode == "graceful") CHECK(resent.size() < before_ids.size());
}

TEST_CASE("delivery: an event that keeps failing is dead-lettered and delivery goes on", "[delivery]") {
  TmfdProcess tmfd(delivery_options("max_attempts: 2"));
  HttpClient c(tmfd.port());
  CallbackReceiver rx;
  const std::string target = "/hooks/dead";
  const std::string hub = create_hub(c, kPartyBase, rx.url(target));
  rx.fail_when_body_contains("Poison", 500);

  Changes poisoned, healthy;
  const std::string a = create_individual(c, poisoned, "a-v0", "Poison");  // fails: dead letter 1
  const std::string b = create_individual(c, healthy, "b-v0");
  rename_individual(c, poisoned, a, "a-v1");                                 // still Poison: dead letter 2
  rename_individual(c, healthy, b, "b-v1");
  // Cured: this event no longer carries the marker and must arrive after the dead-lettered ones.
  {
    auto r = merge_patch(c, kIndividuals, a, {{"givenName", "a-v2"}, {"familyName", "Cured"}},
                         {{"X-Correlation-ID", "patch-a-v2"}});
    REQUIRE(r.status == 200);
    healthy[a].push_back({a, "IndividualAttributeValueChangeEvent", "a-v2", "patch-a-v2"});
  }

  require_all_accepted(rx, target, healthy);
  REQUIRE(eventually([&] { return number(delivery_status(c, kPartyBase, hub), "deadLetterCount") == 2; }, kDeliveryWait));
  require_idle(c, kPartyBase, hub);
  const auto all = rx.received();

  // The poisoned events: each tried exactly max_attempts times, never accepted; one eventId each.
  std::map<std::string, std::vector<ReceivedRequest>> poison_attempts;  // eventId -> attempts
  for (const auto& r : to_target(all, target))
    if (r.body.find("Poison") != std::string::npos) poison_attempts[r.event_id()].push_back(r);
  REQUIRE(poison_attempts.size() == 2);
  for (const auto& [eid, attempts] : poison_attempts) {
    INFO("event " << eid);
    CHECK(attempts.size() == 2);
    for (const auto& r : attempts) CHECK(r.status == 500);
  }
  // The cured change came after both dead letters were given up (it is a later change of a).
  std::size_t last_poison = 0;
  for (const auto& [eid, attempts] : poison_attempts) last_poison = std::max(last_poison, attempts.back().index);
  for (const auto& r : to_target(all, target))
    if (r.resource_id() == a && r.resource_attribute("givenName") == "a-v2") CHECK(r.index > last_poison);

  // The dead letters as tmfd shows them.
  // The list may lag the count by a commit: poll it too.
  HttpResponse letters_response;
  eventually(
      [&] {
        letters_response = c.get(kPartyHub + "/" + hub + "/deadLetter");
        return letters_response.status == 200 && letters_response.json().is_array() &&
               letters_response.json().as_array().size() >= 2;
      },
      kShortWait);
  auto letters = as_array(letters_response);
  INFO("GET deadLetter: " << letters_response.body << "\nstatus: " << json::serialize(delivery_status(c, kPartyBase, hub)));
  REQUIRE(letters.size() == 2);
  std::map<std::int64_t, std::string> types;  // sequence -> eventType
  for (const auto& v : letters) {
    INFO(json::serialize(v));
    REQUIRE(v.is_object());
    const auto& l = v.as_object();
    const std::string eid = str(l, "eventId");
    CHECK(poison_attempts.count(eid) == 1);
    CHECK(number(l, "sequence") > 0);
    CHECK(number(l, "attempts") == 2);
    CHECK(!str(l, "lastError").empty());
    CHECK(parse_utc_timestamp(str(l, "deadLetteredAt")).has_value());
    types[number(l, "sequence")] = str(l, "eventType");
    REQUIRE(l.contains("event"));
    REQUIRE(l.at("event").is_object());
    const auto& e = l.at("event").as_object();
    CHECK(str(e, "eventId") == eid);
    CHECK(str(e, "eventType") == str(l, "eventType"));
    check_spec(e, kTmf632, str(l, "eventType"));
    // The event as it was sent.
    if (poison_attempts.count(eid)) CHECK(json::value(e) == poison_attempts.at(eid).front().json());
  }
  // In sequence (commit) order: the creation, then the change.
  std::vector<std::string> in_order;
  for (const auto& [seq, type] : types) in_order.push_back(type);
  CHECK(in_order == std::vector<std::string>{"IndividualCreateEvent", "IndividualAttributeValueChangeEvent"});

  const auto text = metrics(c);
  INFO(text);
  CHECK(metric_value(text, "tmfd_hub_dead_letters_total{hub=\"" + hub + "\"}") == 2);
  CHECK(metric_value(text, "tmfd_hub_delivery_failures_total{hub=\"" + hub + "\"}") >= 4);
  CHECK(metric_value(text, "tmfd_hub_events_delivered_total{hub=\"" + hub + "\"}") >= 3);
  CHECK(metric_value(text, "tmfd_hub_pending_events{hub=\"" + hub + "\"}") == 0);

  // Later events still arrive.
  Changes later;
  rename_individual(c, later, b, "b-v2");
  require_all_accepted(rx, target, later);
  CHECK(number(delivery_status(c, kPartyBase, hub), "deadLetterCount") == 2);
}

// Replays must survive a crash between the request and the delivery: the receiver refuses until
// tmfd was killed and restarted. The long backoff keeps the refused replay from running out of
// attempts (and being dead-lettered again) before the kill.
TEST_CASE("delivery: dead letters are replayed on request, across a crash", "[delivery][replay]") {
  auto tmfd = std::make_unique<TmfdProcess>(
      delivery_options("max_attempts: 2\nbackoff_initial_ms: 3000\nbackoff_max_ms: 3000"));
  auto c = std::make_unique<HttpClient>(tmfd->port());
  CallbackReceiver rx;
  const std::string target = "/hooks/replay";
  const std::string hub = create_hub(*c, kPartyBase, rx.url(target));
  const std::string letters_path = kPartyHub + "/" + hub + "/deadLetter";
  rx.fail_when_body_contains("Poison", 500);

  Changes poisoned;
  create_individual(*c, poisoned, "p1-v0", "Poison");
  create_individual(*c, poisoned, "p2-v0", "Poison");
  REQUIRE(eventually([&] { return c->get(letters_path).json().as_array().size() == 2; }, kDeliveryWait));
  auto letters = as_array(c->get(letters_path));
  REQUIRE(letters.size() == 2);
  const auto first = letters.at(0).as_object();
  const auto second = letters.at(1).as_object();
  const std::int64_t seq1 = number(first, "sequence"), seq2 = number(second, "sequence");
  const std::string event1 = str(first, "eventId"), event2 = str(second, "eventId");
  REQUIRE(seq1 < seq2);

  // Unknown hubs and dead letters.
  check_typed_error_response(c->request("POST", kPartyHub + "/no-such-hub/deadLetter/replay"), 404, kTmf632);
  check_typed_error_response(c->request("POST", kPartyHub + "/no-such-hub/deadLetter/1/replay"), 404, kTmf632);
  check_typed_error_response(c->request("POST", letters_path + "/" + std::to_string(seq2 + 1000) + "/replay"), 404,
                             kTmf632);
  check_typed_error_response(c->request("POST", letters_path + "/not-a-number/replay"), 404, kTmf632);

  // One replayed while the receiver refuses: out of the list at once, queued durably.
  rx.reset_faults();
  rx.stop();
  {
    auto r = c->request("POST", letters_path + "/" + std::to_string(seq1) + "/replay");
    INFO(r.body);
    REQUIRE(r.status == 202);
    auto body = r.json().as_object();
    CHECK(str(body, "hubId") == hub);
    CHECK(number(body, "replayCount") == 1);
    CHECK(json::value(body.at("sequence")) == json::value(json::array{seq1}));
  }
  letters = as_array(c->get(letters_path));
  REQUIRE(letters.size() == 1);
  CHECK(number(letters.at(0).as_object(), "sequence") == seq2);
  CHECK(number(delivery_status(*c, kPartyBase, hub), "deadLetterCount") == 1);

  c.reset();
  ::kill(tmfd->pid(), SIGKILL);
  tmfd->restart();
  c = std::make_unique<HttpClient>(tmfd->port());
  rx.start();

  // The replayed event arrives after the restart, with its own eventId, as it was first sent.
  REQUIRE(eventually([&] { return rx.accepted_event_ids().count(event1) == 1; }, kDeliveryWait));
  for (const auto& r : rx.accepted())
    if (r.event_id() == event1) CHECK(r.json() == first.at("event"));
  CHECK(rx.accepted_event_ids().count(event2) == 0);  // not asked for
  letters = as_array(c->get(letters_path));
  REQUIRE(letters.size() == 1);
  CHECK(str(letters.at(0).as_object(), "eventId") == event2);

  // All the rest.
  {
    auto r = c->request("POST", letters_path + "/replay");
    INFO(r.body);
    REQUIRE(r.status == 202);
    CHECK(number(r.json().as_object(), "replayCount") == 1);
  }
  REQUIRE(eventually([&] { return rx.accepted_event_ids().count(event2) == 1; }, kDeliveryWait));
  CHECK(as_array(c->get(letters_path)).empty());
  CHECK(number(delivery_status(*c, kPartyBase, hub), "deadLetterCount") == 0);

  // Nothing left: replaying all replays none; the one replayed is no dead letter any more.
  {
    auto r = c->request("POST", letters_path + "/replay");
    REQUIRE(r.status == 202);
    CHECK(number(r.json().as_object(), "replayCount") == 0);
  }
  check_typed_error_response(c->request("POST", letters_path + "/" + std::to_string(seq1) + "/replay"), 404, kTmf632);
}

TEST_CASE("delivery: a replayed event that fails again is dead-lettered again", "[delivery][replay]") {
  TmfdProcess tmfd(delivery_options("max_attempts: 2"));
  HttpClient c(tmfd.port());
  CallbackReceiver rx;
  const std::string target = "/hooks/replay-again";
  const std::string hub = create_hub(c, kPartyBase, rx.url(target));
  const std::string letters_path = kPartyHub + "/" + hub + "/deadLetter";
  rx.fail_when_body_contains("Poison", 500);
  Changes poisoned;
  create_individual(c, poisoned, "p-v0", "Poison");
  REQUIRE(eventually([&] { return c.get(letters_path).json().as_array().size() == 1; }, kDeliveryWait));
  const std::string event = str(as_array(c.get(letters_path)).at(0).as_object(), "eventId");
  const auto tried = rx.attempts();

  REQUIRE(c.request("POST", letters_path + "/replay").status == 202);
  // Tried max_attempts times more, then back in the list, counted.
  REQUIRE(rx.wait_until([&](const std::vector<ReceivedRequest>& all) { return all.size() >= tried + 2; },
                        Clock::now() + kDeliveryWait));
  REQUIRE(eventually([&] { return c.get(letters_path).json().as_array().size() == 1; }, kDeliveryWait));
  CHECK(str(as_array(c.get(letters_path)).at(0).as_object(), "eventId") == event);
  CHECK(eventually([&] { return number(delivery_status(c, kPartyBase, hub), "deadLetterCount") == 1; }, kShortWait));
  CHECK(rx.accepted_event_ids().count(event) == 0);
}

TEST_CASE("delivery: a failing event older than max_age_seconds is dead-lettered at once", "[delivery]") {
  TmfdProcess tmfd(delivery_options("max_age_seconds: 1"));
  HttpClient c(tmfd.port());
  CallbackReceiver rx;
  const std::string target = "/hooks/aged";
  const std::string hub = create_hub(c, kPartyBase, rx.url(target));
  rx.stop();  // refused: every attempt fails

  Changes old;
  const std::string x = create_individual(c, old, "old-v0");
  REQUIRE(eventually([&] { return number(delivery_status(c, kPartyBase, hub), "deadLetterCount") == 1; }, kShortWait));
  REQUIRE(eventually([&] { return c.get(kPartyHub + "/" + hub + "/deadLetter").json().as_array().size() == 1; },
                     kShortWait));
  auto letters = as_array(c.get(kPartyHub + "/" + hub + "/deadLetter"));
  REQUIRE(letters.size() == 1);
  const auto& l = letters.at(0).as_object();
  INFO(json::serialize(l));
  CHECK(str(l, "eventType") == "IndividualCreateEvent");
  CHECK(number(l, "attempts") >= 1);
  CHECK(number(l, "attempts") < 1000);  // not max_attempts
  CHECK(!str(l, "lastError").empty());

  rx.start();
  Changes fresh;
  create_individual(c, fresh, "fresh-v0");
  require_all_accepted(rx, target, fresh);
  require_idle(c, kPartyBase, hub);
  for (const auto& r : rx.received()) CHECK(r.resource_id() != x);
}

TEST_CASE("delivery: a deleted hub gets nothing more", "[delivery]") {
  TmfdProcess tmfd(delivery_options());
  HttpClient c(tmfd.port());
  CallbackReceiver rx;
  const std::string one = create_hub(c, kPartyBase, rx.url("/one"));
  const std::string two = create_hub(c, kPartyBase, rx.url("/two"));

  Changes first;
  create_individual(c, first, "first-v0");
  require_all_accepted(rx, "/one", first);
  require_all_accepted(rx, "/two", first);

  REQUIRE(hub_workers(c) == 2);

  SECTION("caught up") {
    REQUIRE(c.request("DELETE", kPartyHub + "/" + one).status == 204);
    Changes second;
    create_individual(c, second, "second-v0");
    require_all_accepted(rx, "/two", second);
    require_idle(c, kPartyBase, two);
    require_hub_gone(c, rx, 1, "/two");
    const auto all = rx.received();
    CHECK(count_if_target(all, "/one", [](const auto&) { return true; }) == 1);
  }

  SECTION("while it retries a backlog") {
    rx.set_rule([](const ReceivedRequest& r) -> std::optional<Answer> {
      if (r.target == "/one") return Answer::fail(503);
      return std::nullopt;
    });
    Changes second;
    const std::string id = create_individual(c, second, "second-v0");
    rename_individual(c, second, id, "second-v1");
    wait_attempts(rx, "/one", 3, [](const auto& r) { return r.status == 503; }, "3 failures at /one");
    REQUIRE(c.request("DELETE", kPartyHub + "/" + one).status == 204);
    require_all_accepted(rx, "/two", second);
    require_idle(c, kPartyBase, two);
    // The retries stop: the worker ends (an attempt already under way may still land before).
    require_hub_gone(c, rx, 1, "/two");
    const std::size_t settled = count_if_target(rx.received(), "/one", [](const auto&) { return true; });
    // A later change reaches the live hub, and still nothing more reaches the deleted one.
    Changes third;
    create_individual(c, third, "third-v0");
    require_all_accepted(rx, "/two", third);
    require_idle(c, kPartyBase, two);
    CHECK(count_if_target(rx.received(), "/one", [](const auto&) { return true; }) == settled);
  }
  check_typed_error_response(c.get(kPartyHub + "/" + one), 404, kTmf632);
  CHECK(as_array(c.get(kPartyHub)).size() == 1);
}
