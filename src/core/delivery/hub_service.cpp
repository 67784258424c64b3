#include "delivery/hub_service.hpp"

#include <charconv>
#include <chrono>
#include <limits>

#include <tmfd/error.hpp>
#include <tmfd/log.hpp>

#include "delivery/event_filter.hpp"
#include "delivery/hub_store.hpp"
#include "query/list_query.hpp"
#include "resource/http_glue.hpp"
#include "resource/ids_and_time.hpp"
#include "store/database.hpp"

namespace tmfd::delivery {

namespace {

std::string replace_param(const std::string& pattern, const std::string& name, const std::string& value) {
  std::string out = pattern;
  const std::string token = "{" + name + "}";
  if (auto at = out.find(token); at != std::string::npos) out.replace(at, token.size(), value);
  return out;
}

std::string text_member(const json::object& body, const char* name, bool required) {
  const auto* v = body.if_contains(name);
  if (!v || v->is_null()) {
    if (required) throw ApiError::missing_attribute(name);
    return {};
  }
  if (!v->is_string()) throw ApiError::invalid_attribute(name, "must be a string");
  return std::string(v->get_string());
}

http::Response json_response(int status, const json::value& body) {
  return http::Response::json(status, json::serialize(body));
}

http::Response error_response(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    return http::Response::json(e.http_status(), e.body());
  } catch (const std::exception& e) {
    log::error("delivery", "hub change failed", {{"error", e.what()}});
    return http::Response::json(503, error_body(503, "SERVICE_UNAVAILABLE", "Service unavailable",
                                                "the change could not be stored; try again"));
  }
}

} // namespace

HubService::HubService(store::Database& db, const CallbackPolicy& policy, HubDispatcher& dispatcher,
                       http::RouteRegistry& routes, std::string public_base_url,
                       const std::atomic<std::int64_t>& outbox_head)
    : db_(db), policy_(policy), dispatcher_(dispatcher), routes_(routes),
      public_base_url_(std::move(public_base_url)), outbox_head_(outbox_head) {}

void HubService::load() {
  for (auto& [record, dead_letters] : hub_store::load_all(db_.reader())) {
    auto status = std::make_shared<HubStatus>();
    status->dead_letters.store(dead_letters);
    std::string problem;
    auto url = parse_callback_url(record.callback, problem);
    if (url && !policy_.allows(*url))
      log::warn("delivery", "stored hub's callback is not on delivery.allowed_callbacks; its deliveries will fail",
                {{"hub", record.id}, {"callback", record.callback}});
    start_delivery(record, status);
  }
}

void HubService::start_delivery(const HubRecord& record, std::shared_ptr<HubStatus> status) {
  std::string problem;
  auto url = parse_callback_url(record.callback, problem);
  EventFilter filter;
  try {
    filter = EventFilter::parse({record.topic_filter, record.query});
  } catch (const std::exception& e) {
    problem = e.what();
  }
  {
    std::lock_guard lock(mutex_);
    hubs_[record.id] = Entry{record, status};
  }
  if (!url || !problem.empty()) {
    // Checked at registration: only a database edited by hand gets here.
    log::error("delivery", "stored hub cannot be delivered", {{"hub", record.id}, {"problem", problem}});
    return;
  }
  dispatcher_.add(record, std::move(filter), std::move(*url), std::move(status));
}

std::string HubService::href(const HubRecord& record) const {
  return public_base_url_ + record.hub_path + "/" + record.id;
}

void HubService::serve(const std::string& hub_path, std::vector<std::string> domains) {
  using http::Method;
  // What each route is, for the front's filters: the hub's API when it serves one, kind "hub".
  const std::string api = domains.size() == 1 ? domains.front() : std::string();
  auto info = [&api](const char* operation) { return http::RouteInfo{api, "hub", operation, false}; };
  auto scope = std::make_shared<Scope>(Scope{hub_path, std::move(domains), {}, {}});
  routes_.add(Method::Post, hub_path, [this, scope](http::Request& r, http::Reply reply) {
    create(r, std::move(reply), *scope);
  }, info("create"));
  routes_.add(Method::Get, hub_path, [this, hub_path](http::Request& r, http::Reply reply) { list(hub_path, r, std::move(reply)); }, info("list"));
  routes_.add(Method::Get, hub_path + "/{id}", [this, hub_path](http::Request& r, http::Reply reply) {
    get(hub_path, std::string(r.param("id")), std::move(reply));
  }, info("get"));
  routes_.add(Method::Delete, hub_path + "/{id}", [this, hub_path](http::Request& r, http::Reply reply) {
    remove(hub_path, std::string(r.param("id")), r.correlation_id, std::move(reply));
  }, info("delete"));
  routes_.add(Method::Get, hub_path + "/{id}/deadLetter", [this, hub_path](http::Request& r, http::Reply reply) {
    dead_letters(hub_path, std::string(r.param("id")), r, std::move(reply));
  }, info("listDeadLetters"));
  routes_.add(Method::Post, hub_path + "/{id}/deadLetter/replay", [this, hub_path](http::Request& r, http::Reply reply) {
    replay(hub_path, std::string(r.param("id")), std::nullopt, r.correlation_id, std::move(reply));
  }, info("replayDeadLetters"));
  routes_.add(Method::Post, hub_path + "/{id}/deadLetter/{sequence}/replay",
              [this, hub_path](http::Request& r, http::Reply reply) {
                replay(hub_path, std::string(r.param("id")), std::string(r.param("sequence")), r.correlation_id,
                       std::move(reply));
              }, info("replayDeadLetter"));
}

void HubService::serve_topic(const std::string& hub_path,
                             std::function<std::optional<std::string>(const std::string&)> topic_filter) {
  using http::Method;
  // The topic's segment takes the name the topic routes already use at that position (the router
  // keeps one name per position), e.g. {id} in /topic/{id} and /topic/{id}/hub. The hub's own id
  // is then {hubId}.
  const auto open = hub_path.find('{');
  const auto close = hub_path.find('}', open);
  if (open == std::string::npos || close == std::string::npos)
    throw std::invalid_argument("topic hub path '" + hub_path + "' has no {param} segment for the topic");
  const std::string topic_param = hub_path.substr(open + 1, close - open - 1);
  auto resolve = [hub_path, topic_param, topic_filter](const http::Request& r) {
    const std::string topic(r.param(topic_param));
    auto filter = topic_filter(topic);
    if (!filter) throw ApiError::not_found("no topic '" + topic + "'");
    return Scope{replace_param(hub_path, topic_param, topic), {}, topic, *filter};
  };
  const auto item = hub_path + "/{hubId}";
  auto info = [](const char* operation) { return http::RouteInfo{"", "topicHub", operation, false}; };
  routes_.add(Method::Post, hub_path, [this, resolve](http::Request& r, http::Reply reply) {
    create(r, std::move(reply), resolve(r));
  }, info("create"));
  routes_.add(Method::Get, hub_path, [this, resolve](http::Request& r, http::Reply reply) {
    list(resolve(r).hub_path, r, std::move(reply));
  }, info("list"));
  routes_.add(Method::Get, item, [this, resolve](http::Request& r, http::Reply reply) {
    get(resolve(r).hub_path, std::string(r.param("hubId")), std::move(reply));
  }, info("get"));
  routes_.add(Method::Delete, item, [this, resolve](http::Request& r, http::Reply reply) {
    remove(resolve(r).hub_path, std::string(r.param("hubId")), r.correlation_id, std::move(reply));
  }, info("delete"));
  routes_.add(Method::Get, item + "/deadLetter", [this, resolve](http::Request& r, http::Reply reply) {
    dead_letters(resolve(r).hub_path, std::string(r.param("hubId")), r, std::move(reply));
  }, info("listDeadLetters"));
  routes_.add(Method::Post, item + "/deadLetter/replay", [this, resolve](http::Request& r, http::Reply reply) {
    replay(resolve(r).hub_path, std::string(r.param("hubId")), std::nullopt, r.correlation_id, std::move(reply));
  }, info("replayDeadLetters"));
  routes_.add(Method::Post, item + "/deadLetter/{sequence}/replay", [this, resolve](http::Request& r, http::Reply reply) {
    replay(resolve(r).hub_path, std::string(r.param("hubId")), std::string(r.param("sequence")), r.correlation_id,
           std::move(reply));
  }, info("replayDeadLetter"));
}

void HubService::create(const http::Request& request, http::Reply reply, Scope scope) {
  resource::require_json_content_type(request.content_type);
  const json::object body = parse_object(request.body);
  HubRecord record;
  record.callback = text_member(body, "callback", true);
  record.query = text_member(body, "query", false);
  std::string problem;
  auto url = parse_callback_url(record.callback, problem);
  if (!url) throw ApiError::invalid_attribute("callback", problem);
  if (!policy_.allows(*url))
    throw ApiError::invalid_attribute("callback", "names a host that is not on this server's delivery.allowed_callbacks");
  auto filter = EventFilter::parse({scope.topic_filter, record.query});  // 400 on bad syntax
  record.id = resource::new_uuid();
  record.hub_path = std::move(scope.hub_path);
  record.domains = std::move(scope.domains);
  record.topic = std::move(scope.topic);
  record.topic_filter = std::move(scope.topic_filter);

  auto stored = std::make_shared<HubRecord>(std::move(record));
  store::WriteJob job;
  job.correlation_id = request.correlation_id;
  job.run = [stored](store::WriteTxn& txn) { hub_store::insert(txn.connection(), *stored); };
  job.done = [this, stored, reply = std::move(reply)](std::exception_ptr error) {
    if (error) return reply(error_response(error));
    start_delivery(*stored, std::make_shared<HubStatus>());
    log::info("delivery", "hub registered", {{"hub", stored->id}, {"callback", stored->callback}, {"path", stored->hub_path}});
    auto response = json_response(201, hub_body(*stored, href(*stored)));
    response.headers.emplace_back("Location", href(*stored));
    reply(std::move(response));
  };
  db_.submit(std::move(job));
}

HubService::Entry HubService::find(const std::string& hub_path, const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = hubs_.find(id);
  if (it == hubs_.end() || it->second.record.hub_path != hub_path)
    throw ApiError::not_found("no hub '" + id + "' at " + hub_path);
  return it->second;
}

void HubService::list(const std::string& hub_path, const http::Request& request, http::Reply reply) const {
  // The same query rules as resource lists, so that a bad parameter is refused here too.
  auto query = tmfd::query::parse_list_query(request.query);
  if (!query.filters.empty() || !query.fields.empty() || !query.sort.empty())
    throw ApiError::bad_request("hub lists take only offset and limit");
  json::array out;
  std::size_t total = 0;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, entry] : hubs_) {
      if (entry.record.hub_path != hub_path) continue;
      if (total++ < query.offset) continue;
      if (query.limit && out.size() >= *query.limit) continue;
      out.push_back(hub_body(entry.record, href(entry.record)));
    }
  }
  auto response = json_response(200, out);
  response.headers.emplace_back("X-Total-Count", std::to_string(total));
  response.headers.emplace_back("X-Result-Count", std::to_string(out.size()));
  reply(std::move(response));
}

void HubService::get(const std::string& hub_path, const std::string& id, http::Reply reply) const {
  auto entry = find(hub_path, id);
  auto body = hub_body(entry.record, href(entry.record));
  body["deliveryStatus"] = entry.status->to_json(outbox_head_.load());
  reply(json_response(200, body));
}

void HubService::remove(const std::string& hub_path, const std::string& id, const std::string& correlation_id,
                        http::Reply reply) {
  find(hub_path, id);  // 404 when unknown
  store::WriteJob job;
  job.correlation_id = correlation_id;
  job.run = [id](store::WriteTxn& txn) { hub_store::remove(txn.connection(), id); };
  job.done = [this, id, reply = std::move(reply)](std::exception_ptr error) {
    if (error) return reply(error_response(error));
    {
      std::lock_guard lock(mutex_);
      hubs_.erase(id);
    }
    dispatcher_.remove(id);
    log::info("delivery", "hub removed", {{"hub", id}});
    http::Response response;
    response.status = 204;
    reply(std::move(response));
  };
  db_.submit(std::move(job));
}

void HubService::dead_letters(const std::string& hub_path, const std::string& id, const http::Request& request,
                              http::Reply reply) const {
  find(hub_path, id);
  auto query = tmfd::query::parse_list_query(request.query);
  if (!query.filters.empty() || !query.fields.empty() || !query.sort.empty())
    throw ApiError::bad_request("dead letters take only offset and limit");
  std::size_t total = 0;
  auto page = hub_store::dead_letters(db_.reader(), id, query.offset, query.limit.value_or(100), total);
  const auto count = page.size();
  auto response = json_response(200, page);
  response.headers.emplace_back("X-Total-Count", std::to_string(total));
  response.headers.emplace_back("X-Result-Count", std::to_string(count));
  reply(std::move(response));
}

void HubService::replay(const std::string& hub_path, const std::string& id, std::optional<std::string> sequence,
                        const std::string& correlation_id, http::Reply reply) {
  auto entry = find(hub_path, id);  // 404 when unknown
  std::int64_t first = std::numeric_limits<std::int64_t>::min();
  std::int64_t last = std::numeric_limits<std::int64_t>::max();
  if (sequence) {
    // Not a number names no dead letter: 404 like an unknown one.
    const auto* end = sequence->data() + sequence->size();
    auto [at, ec] = std::from_chars(sequence->data(), end, first);
    if (ec != std::errc{} || at != end) throw ApiError::not_found("no dead letter '" + *sequence + "' on hub '" + id + "'");
    last = first;
  }
  const auto requested_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
  auto moved = std::make_shared<std::vector<std::int64_t>>();
  store::WriteJob job;
  job.correlation_id = correlation_id;
  job.run = [id, first, last, correlation_id, requested_ms, moved, one = sequence.has_value()](store::WriteTxn& txn) {
    *moved = hub_store::request_replay(txn.connection(), id, first, last, correlation_id, requested_ms);
    if (one && moved->empty())
      throw ApiError::not_found("no dead letter " + std::to_string(first) + " on hub '" + id + "'");
  };
  job.done = [this, id, status = entry.status, moved, reply = std::move(reply)](std::exception_ptr error) {
    if (error) return reply(error_response(error));
    // Out of the dead-letter list now; counted again if they fail again.
    auto count = status->dead_letters.load();
    while (!status->dead_letters.compare_exchange_weak(count, count - std::min<std::uint64_t>(count, moved->size()))) {
    }
    if (!moved->empty()) {
      dispatcher_.wake(id);
      log::info("delivery", "dead letters queued for replay", {{"hub", id}, {"events", moved->size()}});
    }
    json::array sequences;
    for (auto seq : *moved) sequences.push_back(seq);
    reply(json_response(202, json::object{{"hubId", id}, {"replayCount", moved->size()}, {"sequence", sequences}}));
  };
  db_.submit(std::move(job));
}

void HubService::remove_topic_hubs(const std::string& topic_id) {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, entry] : hubs_)
      if (entry.record.topic == topic_id) ids.push_back(id);
  }
  for (const auto& id : ids) {
    store::WriteJob job;
    job.run = [id](store::WriteTxn& txn) { hub_store::remove(txn.connection(), id); };
    job.done = [this, id](std::exception_ptr error) {
      if (error) return;
      {
        std::lock_guard lock(mutex_);
        hubs_.erase(id);
      }
      dispatcher_.remove(id);
    };
    db_.submit(std::move(job));
  }
}

std::optional<std::int64_t> HubService::min_stored_cursor() const {
  std::lock_guard lock(mutex_);
  std::optional<std::int64_t> min;
  for (const auto& [id, entry] : hubs_) {
    const auto stored = entry.status->stored_sequence.load();
    min = min ? std::min(*min, stored) : stored;
  }
  return min;
}

void HubService::render_metrics(std::string& out) const {
  struct Line {
    const char* name;
    const char* help;
    const char* type;
  };
  static const Line lines[] = {
      {"tmfd_hub_events_delivered_total", "Events a hub's callback accepted (2xx).", "counter"},
      {"tmfd_hub_delivery_failures_total", "Failed callback attempts (non-2xx, timeouts, connection errors).", "counter"},
      {"tmfd_hub_dead_letters_total", "Events given up on after max_attempts or max_age.", "counter"},
      {"tmfd_hub_pending_events", "Outbox entries after the hub's cursor.", "gauge"},
      {"tmfd_hub_consecutive_failures", "Failed attempts since the last success.", "gauge"},
  };
  std::lock_guard lock(mutex_);
  const auto head = outbox_head_.load();
  for (std::size_t i = 0; i < std::size(lines); ++i) {
    out += std::string("# HELP ") + lines[i].name + " " + lines[i].help + "\n# TYPE " + lines[i].name + " " +
           lines[i].type + "\n";
    for (const auto& [id, entry] : hubs_) {
      const HubStatus& s = *entry.status;
      std::uint64_t value = 0;
      switch (i) {
        case 0: value = s.delivered.load(); break;
        case 1: value = s.failures.load(); break;
        case 2: value = s.dead_letters.load(); break;
        case 3: value = static_cast<std::uint64_t>(std::max<std::int64_t>(0, head - s.done_sequence.load())); break;
        default: value = s.consecutive_failures.load(); break;
      }
      out += std::string(lines[i].name) + "{hub=\"" + id + "\"} " + std::to_string(value) + "\n";
    }
  }
}

} // namespace tmfd::delivery
