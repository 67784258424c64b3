#include "reaction/reaction_service.hpp"

#include <stdexcept>

#include <tmfd/error.hpp>
#include <tmfd/log.hpp>

#include "delivery/event_filter.hpp"
#include "resource/engine.hpp"
#include "resource/query.hpp"
#include "store/database.hpp"
#include "store/reaction_rows.hpp"

namespace tmfd::reaction {

namespace {

void check_name(const std::string& what, const std::string& name) {
  if (name.empty()) throw std::invalid_argument(what + " needs a name");
  for (unsigned char c : name)
    if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.'))
      throw std::invalid_argument(what + " '" + name + "': a name has only letters, digits, '-', '_' and '.'");
}

void check_retry(const std::string& what, const RetryPolicy& retry) {
  if (retry.max_attempts < 1) throw std::invalid_argument(what + ": retry.max_attempts must be at least 1");
  if (retry.first_retry.count() < 0 || retry.max_retry < retry.first_retry)
    throw std::invalid_argument(what + ": retry waits must be positive and max_retry >= first_retry");
}

json::array letters_json(const std::vector<store::DeadLetter>& letters, bool reaction) {
  json::array out;
  for (const auto& l : letters) {
    json::object o;
    if (reaction) {
      o["sequence"] = std::stoll(l.key);
      o["eventType"] = l.event_type;
      o["resource"] = l.resource;
    } else {
      o["timerId"] = l.key;
    }
    json::value payload;
    try {
      payload = parse_value(l.payload);
    } catch (const std::exception&) {
      payload = l.payload;
    }
    o[reaction ? "event" : "payload"] = std::move(payload);
    o["correlationId"] = l.correlation_id;
    o["error"] = l.error;
    o["attempts"] = l.attempts;
    o["parkedAt"] = l.parked_at;
    out.push_back(std::move(o));
  }
  return out;
}

} // namespace

ReactionService::ReactionService(resource::Engine& engine, store::Database& db, delivery::EventStreams& streams,
                                 http::RouteRegistry& routes)
    : engine_(engine), db_(db), streams_(streams), timers_(engine, db) {
  db_.migrate("tmfd.reactions", store::reaction_migrations());
  engine_.set_timer_listener([this] { timers_.wake(); });
  serve_admin(routes);
}

ReactionService::~ReactionService() { stop(); }

void ReactionService::add(Reaction reaction) {
  if (started_) throw std::logic_error("reactions are added in Module::start()");
  check_name("a reaction", reaction.name);
  if (!reaction.handler) throw std::invalid_argument("reaction '" + reaction.name + "' has no handler");
  check_retry("reaction '" + reaction.name + "'", reaction.retry);
  for (const auto& r : reactions_)
    if (r->name() == reaction.name) throw std::invalid_argument("reaction '" + reaction.name + "' is added twice");
  delivery::EventFilter filter;
  try {
    filter = delivery::EventFilter::parse({reaction.filter});
  } catch (const ApiError& e) {
    throw std::invalid_argument("reaction '" + reaction.name + "': filter: " + e.detail());
  }
  reactions_.push_back(std::make_unique<ReactionRunner>(std::move(reaction), std::move(filter), engine_, db_));
}

void ReactionService::add_timer_handler(TimerHandler handler) {
  if (started_) throw std::logic_error("timer handlers are added in Module::start()");
  check_name("a timer handler", handler.name);
  if (!handler.handler) throw std::invalid_argument("timer handler '" + handler.name + "' has no handler");
  check_retry("timer handler '" + handler.name + "'", handler.retry);
  if (timers_.has_handler(handler.name))
    throw std::invalid_argument("timer handler '" + handler.name + "' is added twice");
  timers_.add_handler(std::move(handler));
}

void ReactionService::start() {
  if (started_) return;
  started_ = true;
  for (auto& r : reactions_) r->start(streams_);
  timers_.start();
  log::info("reaction", "reactions and timers running",
            {{"reactions", reactions_.size()}, {"timer_handlers", timers_.handlers().size()}});
}

void ReactionService::stop() {
  // Whatever a runner has in hand finishes (its jobs are on the writer, which still runs).
  for (auto& r : reactions_) r->stop();
  timers_.stop();
}

void ReactionService::render_metrics(std::string& out) const {
  out += "# HELP tmfd_reaction_handled_total Events a durable reaction handled since start.\n"
         "# TYPE tmfd_reaction_handled_total counter\n";
  for (const auto& r : reactions_)
    out += "tmfd_reaction_handled_total{reaction=\"" + r->name() + "\"} " + std::to_string(r->status().handled) + "\n";
  out += "# HELP tmfd_reaction_failures_total Handler attempts that threw since start.\n"
         "# TYPE tmfd_reaction_failures_total counter\n";
  for (const auto& r : reactions_)
    out += "tmfd_reaction_failures_total{reaction=\"" + r->name() + "\"} " + std::to_string(r->status().failures) + "\n";
  out += "# HELP tmfd_reaction_parked_total Events parked as dead letters since start.\n"
         "# TYPE tmfd_reaction_parked_total counter\n";
  for (const auto& r : reactions_)
    out += "tmfd_reaction_parked_total{reaction=\"" + r->name() + "\"} " + std::to_string(r->status().parked) + "\n";
  out += "# HELP tmfd_reaction_waiting Events held for a retry.\n# TYPE tmfd_reaction_waiting gauge\n";
  for (const auto& r : reactions_)
    out += "tmfd_reaction_waiting{reaction=\"" + r->name() + "\"} " + std::to_string(r->status().waiting) + "\n";
  const auto t = timers_.status();
  out += "# HELP tmfd_timers_fired_total Timers fired since start.\n# TYPE tmfd_timers_fired_total counter\n"
         "tmfd_timers_fired_total " + std::to_string(t.fired) + "\n";
  out += "# HELP tmfd_timers_failures_total Timer firings that threw since start.\n"
         "# TYPE tmfd_timers_failures_total counter\ntmfd_timers_failures_total " + std::to_string(t.failures) + "\n";
  out += "# HELP tmfd_timers_parked_total Timers parked as dead letters since start.\n"
         "# TYPE tmfd_timers_parked_total counter\ntmfd_timers_parked_total " + std::to_string(t.parked) + "\n";
}

void ReactionService::serve_admin(http::RouteRegistry& routes) {
  using http::Method;
  routes.add(Method::Get, "/admin/reactions", [this](http::Request&, http::Reply reply) {
    json::array out;
    for (const auto& r : reactions_) {
      auto s = r->status();
      json::object o;
      o["name"] = s.name;
      o["filter"] = s.filter;
      o["cursor"] = s.cursor;
      o["waiting"] = s.waiting;
      o["handled"] = s.handled;
      o["failures"] = s.failures;
      o["deadLetters"] = store::dead_letter_count(db_.reader(), store::DeadLetterKind::Reaction, s.name);
      out.push_back(std::move(o));
    }
    reply(http::Response::json(200, json::serialize(out)));
  }, http::RouteInfo{.api = "admin", .kind = "reaction", .operation = "list"});
  auto letters = [this](store::DeadLetterKind kind) {
    return [this, kind](http::Request& req, http::Reply reply) {
      const std::string name(req.param("name"));
      const bool known = kind == store::DeadLetterKind::Reaction
                             ? std::any_of(reactions_.begin(), reactions_.end(),
                                           [&](const auto& r) { return r->name() == name; })
                             : timers_.has_handler(name) ||
                                   store::dead_letter_count(db_.reader(), kind, name) > 0;
      if (!known) throw ApiError::not_found("no " + std::string(kind == store::DeadLetterKind::Reaction ? "reaction" : "timer handler") + " named '" + name + "'");
      auto q = resource::parse_list_query(req.query);
      const std::size_t limit = std::min<std::size_t>(q.limit.value_or(100), 1000);
      auto page = store::dead_letters(db_.reader(), kind, name, q.offset, limit);
      auto resp = http::Response::json(200, json::serialize(letters_json(page, kind == store::DeadLetterKind::Reaction)));
      resp.headers.emplace_back("X-Total-Count", std::to_string(store::dead_letter_count(db_.reader(), kind, name)));
      resp.headers.emplace_back("X-Result-Count", std::to_string(page.size()));
      reply(std::move(resp));
    };
  };
  routes.add(Method::Get, "/admin/reactions/{name}/deadLetter", letters(store::DeadLetterKind::Reaction),
             http::RouteInfo{.api = "admin", .kind = "reaction", .operation = "listDeadLetters"});
  routes.add(Method::Get, "/admin/timers/{name}/deadLetter", letters(store::DeadLetterKind::Timer),
             http::RouteInfo{.api = "admin", .kind = "timer", .operation = "listDeadLetters"});
}

} // namespace tmfd::reaction
