// The write side of the resource engine: create, patch and delete. The request is checked as far
// as possible on the calling (I/O) thread; what depends on the stored state (existence, If-Match,
// the patched result, lifecycle transitions) runs in a job on the writer thread, inside the same
// transaction that writes the resource and its events to the outbox.
#include <tmfd/error.hpp>
#include <tmfd/log.hpp>

#include "resource/engine.hpp"
#include "resource/events.hpp"
#include "resource/http_glue.hpp"
#include "resource/ids_and_time.hpp"
#include "resource/patch.hpp"
#include "resource/rules.hpp"

namespace tmfd::resource {

namespace {

// Turns the outcome of a job into the result the caller receives.
WriteResult result_of(std::exception_ptr error, WriteResult ok) {
  if (!error) return ok;
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    return {e.http_status(), e.body(), 0, {}};
  } catch (const std::exception& e) {
    log::error("resource", "write failed", {{"error", e.what()}});
    return {500, error_body(500, "INTERNAL_ERROR", "Internal error",
                            "the change could not be stored; it was not applied"), 0, {}};
  }
}

void run_validate_hook(const Engine::Kind& k, json::object& resource, const json::object* previous) {
  if (k.hooks.validate) k.hooks.validate(resource, previous);
}

// Attributes whose values differ between two versions, state excluded.
bool attributes_changed(const json::object& a, const json::object& b, const std::string& skip_a,
                        const std::string& skip_b) {
  auto differs_one_way = [&](const json::object& x, const json::object& y) {
    for (const auto& kv : x) {
      if (kv.key() == skip_a || kv.key() == skip_b) continue;
      auto it = y.find(kv.key());
      if (it == y.end() || it->value() != kv.value()) return true;
    }
    return false;
  };
  return differs_one_way(a, b) || differs_one_way(b, a);
}

std::string string_at(const json::object& o, const std::string& key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : std::string();
}

} // namespace

void Engine::do_create(const Kind& k, json::object body, std::string correlation_id, WriteCallback done) {
  const ResourceKind& kind = k.kind;
  auto id = new_uuid();
  // Server-set attributes: a client cannot choose them.
  body["id"] = id;
  auto href = href_for(k, id);
  body["href"] = href;
  if (!body.contains("@type")) body["@type"] = kind.type;
  auto now = now_iso8601();
  if (!kind.created_field.empty()) body[kind.created_field] = now;
  if (!kind.last_update_field.empty()) body[kind.last_update_field] = now;
  check_mandatory(kind, body);
  check_attribute_types(kind, body);
  apply_lifecycle(kind, body, nullptr);
  run_validate_hook(k, body, nullptr);

  auto text = std::make_shared<std::string>(json::serialize(body));
  auto event = kind.events.create.empty()
                   ? std::make_shared<Event>()
                   : std::make_shared<Event>(make_event(kind, kind.events.create, body, id, correlation_id));
  const Kind* kp = &k;
  store::WriteJob job;
  job.correlation_id = correlation_id;
  job.run = [kp, id, text, event](store::WriteTxn& txn) {
    store::rows::insert(txn, kp->table, id, *text);
    if (!event->event_type.empty()) txn.emit(std::move(*event));
  };
  job.done = [text, href, done = std::move(done)](std::exception_ptr error) {
    done(result_of(error, {201, std::move(*text), 1, href}));
  };
  db_.submit(std::move(job));
}

void Engine::do_patch(const Kind& k, std::string id, PatchMode mode, json::value patch, std::string if_match,
                      std::string correlation_id, WriteCallback done) {
  struct Outcome {
    std::string body;
    std::int64_t version = 0;
  };
  auto outcome = std::make_shared<Outcome>();
  const Kind* kp = &k;
  store::WriteJob job;
  job.correlation_id = correlation_id;
  job.run = [kp, id, mode, patch = std::move(patch), if_match, correlation_id, outcome](store::WriteTxn& txn) {
    const ResourceKind& kind = kp->kind;
    auto current = store::rows::read(txn, kp->table, id);
    if (!current) throw ApiError::not_found(kind.type + " '" + id + "' does not exist");
    if (!if_match.empty() && !if_match_allows(if_match, current->version))
      throw ApiError::precondition_failed("If-Match " + if_match + " does not match the current ETag " +
                                          etag(current->version));
    json::object before = parse_object(current->body);
    json::object after = before;
    if (mode == PatchMode::Merge) apply_merge_patch(after, patch.as_object());
    else apply_json_patch(after, patch);
    check_immutable(kind, before, after);
    // The last-update date is the server's: whatever the patch said, it is set below if and
    // only if something else changed.
    if (!kind.last_update_field.empty()) {
      if (auto* prev = before.if_contains(kind.last_update_field)) after[kind.last_update_field] = *prev;
      else after.erase(kind.last_update_field);
    }
    apply_lifecycle(kind, after, &before);
    check_mandatory(kind, after);
    check_attribute_types(kind, after);
    run_validate_hook(*kp, after, &before);

    const std::string state_field = kind.lifecycle ? kind.lifecycle->field : std::string();
    bool state_changed = !state_field.empty() && string_at(before, state_field) != string_at(after, state_field);
    bool others_changed = attributes_changed(before, after, state_field, kind.last_update_field);
    if (!state_changed && !others_changed) {  // nothing to write, nothing to announce
      outcome->body = std::move(current->body);
      outcome->version = current->version;
      return;
    }
    if (!kind.last_update_field.empty()) after[kind.last_update_field] = now_iso8601();
    outcome->body = json::serialize(after);
    outcome->version = current->version + 1;
    store::rows::update(txn, kp->table, id, outcome->body, outcome->version);
    if (others_changed && !kind.events.attribute_value_change.empty())
      txn.emit(make_event(kind, kind.events.attribute_value_change, after, id, correlation_id));
    if (state_changed && !kind.events.state_change.empty())
      txn.emit(make_event(kind, kind.events.state_change, after, id, correlation_id));
  };
  job.done = [outcome, done = std::move(done)](std::exception_ptr error) {
    done(result_of(error, {200, std::move(outcome->body), outcome->version, {}}));
  };
  db_.submit(std::move(job));
}

void Engine::do_delete(const Kind& k, std::string id, std::string if_match, std::string correlation_id,
                       WriteCallback done) {
  const Kind* kp = &k;
  store::WriteJob job;
  job.correlation_id = correlation_id;
  job.run = [kp, id, if_match, correlation_id](store::WriteTxn& txn) {
    const ResourceKind& kind = kp->kind;
    auto current = store::rows::read(txn, kp->table, id);
    if (!current) throw ApiError::not_found(kind.type + " '" + id + "' does not exist");
    if (!if_match.empty() && !if_match_allows(if_match, current->version))
      throw ApiError::precondition_failed("If-Match " + if_match + " does not match the current ETag " +
                                          etag(current->version));
    store::rows::remove(txn, kp->table, id);
    if (!kind.events.remove.empty())
      txn.emit(make_event(kind, kind.events.remove, parse_object(current->body), id, correlation_id));
  };
  job.done = [done = std::move(done)](std::exception_ptr error) {
    done(result_of(error, {204, {}, 0, {}}));
  };
  db_.submit(std::move(job));
}

} // namespace tmfd::resource
