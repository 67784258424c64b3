// Units of work on the writer thread: the change primitives every write path shares (REST,
// imports, modules' units of work, hooks), and the typed results modules receive.
#include "resource/work_session.hpp"

#include "resource/prepared_create.hpp"

#include <sqlite3.h>

#include <tmfd/date_time.hpp>
#include <tmfd/error.hpp>

#include "resource/events.hpp"
#include "resource/http_glue.hpp"
#include "resource/ids_and_time.hpp"
#include "resource/patch.hpp"
#include "resource/projection.hpp"
#include "resource/query.hpp"
#include "resource/rules.hpp"
#include "store/database.hpp"
#include "store/history_log.hpp"
#include "store/reaction_rows.hpp"

namespace tmfd {

json::object ChangeResult::resource() const {
  if (body.empty()) throw std::logic_error("the change was refused: there is no resource to read");
  return parse_object(body);
}

namespace resource {

namespace {

// Attributes whose values differ between two versions, the skipped ones excluded.
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

// The stored resource a patch or delete changes: 404 when it does not exist, 412 when If-Match
// names another version.
StoredResource read_for_change(store::WriteTxn& txn, const Engine::Kind& k, const std::string& id,
                               const std::optional<std::string>& if_match) {
  auto current = store::rows::read(txn, k.table, id);
  if (!current) throw ApiError::not_found(k.kind.type + " '" + id + "' does not exist");
  // A blank If-Match names no version, so it matches none (RFC 9110 13.1.1): refusing it is
  // safer than reading it as "no condition" and applying a change the client meant to guard.
  if (if_match && !if_match_allows(*if_match, current->version))
    throw ApiError::precondition_failed(
        (if_match_blank(*if_match) ? std::string("If-Match is empty; it matches no version")
                                   : "If-Match " + *if_match + " does not match") +
        " (the current ETag is " + etag(current->version) + ")");
  return std::move(*current);
}

std::optional<std::string> as_if_match(std::optional<std::int64_t> expected_version) {
  if (!expected_version) return std::nullopt;
  return etag(*expected_version);
}

ChangeOutcome outcome_of(const ApiError& e) {
  if (e.code() == "INVALID_STATE_TRANSITION") return ChangeOutcome::IllegalTransition;
  switch (e.http_status()) {
  case 404: return ChangeOutcome::NotFound;
  case 412: return ChangeOutcome::VersionMismatch;
  case 409: return ChangeOutcome::Conflict;
  default: return ChangeOutcome::Invalid;
  }
}

} // namespace

std::optional<StoredResource> WorkSession::get(const std::string& collection_path, const std::string& id) {
  return store::rows::read(txn_, engine_.find(collection_path).table, id);
}

std::size_t WorkSession::count(const std::string& collection_path, const std::string& query) {
  return store::rows::count(txn_, engine_.find(collection_path).table, parse_list_query(query));
}

bool WorkSession::is_external(const json::object& reference) const {
  return is_external_reference(reference, engine_.options_.public_base_url);
}

ListPage WorkSession::list(const std::string& collection_path, const std::string& query) {
  const auto& k = engine_.find(collection_path);
  auto q = parse_list_query(query);
  auto page = store::rows::list(txn_, k.table, q,
                                q.limit ? engine_.options_.max_page_size : engine_.options_.default_page_size);
  if (!q.fields.empty())
    for (auto& body : page.bodies) body = json::serialize(project_fields(parse_object(body), q.fields));
  return page;
}

template <class Change>
ChangeResult WorkSession::in_savepoint(const Engine::Kind& k, Change&& change) {
  auto& conn = txn_.connection();
  // Without hooks that run in the transaction, a change is refused before it writes anything
  // (its row and events are its last writes): no savepoint is needed, and a unit of many plain
  // changes saves two statements per change.
  const bool may_write_before_refusal =
      k.hooks.check_in_transaction || k.hooks.before_delete || k.hooks.events_on_create;
  if (may_write_before_refusal) conn.run_cached("SAVEPOINT change");
  const auto events_before = txn_.pending_events();
  try {
    ChangeResult result = change();
    if (may_write_before_refusal) conn.run_cached("RELEASE change");
    return result;
  } catch (const store::StoreFault&) {
    throw;  // the store failed, not the change: the whole unit fails
  } catch (const ApiError& e) {
    // SQLite may have rolled the whole transaction back by itself (disk full): nothing to undo
    // here, and the unit cannot go on.
    if (sqlite3_get_autocommit(conn.raw())) throw;
    if (may_write_before_refusal) {
      conn.run_cached("ROLLBACK TO change");
      conn.run_cached("RELEASE change");
    }
    txn_.drop_events_after(events_before);
    ChangeResult refused;
    refused.outcome = outcome_of(e);
    refused.error = e;
    return refused;
  }
}

ChangeResult WorkSession::create(const std::string& collection_path, json::object body, CreateOptions options) {
  const Engine::Kind& k = engine_.find(collection_path);
  return in_savepoint(k, [&]() -> ChangeResult {
    if (auto* id = body.if_contains("id"); options.keep_id && id && id->is_string() && !id->get_string().empty())
      if (auto existing = store::rows::read(txn_, k.table, std::string(id->get_string())))
        return {ChangeOutcome::AlreadyExists, std::move(existing->body), existing->version, std::nullopt};
    json::object resource = engine_.prepare_new(k, std::move(body), options.keep_id);
    std::string text = json::serialize(resource);
    engine_.check_size(k, text);
    insert_checked(k, resource, text);
    return {ChangeOutcome::Created, std::move(text), 1, std::nullopt};
  });
}

ChangeResult WorkSession::create(const PreparedCreate& prepared) {
  if (!prepared.state) throw std::invalid_argument("UnitOfWork::create: the PreparedCreate is empty");
  const PreparedCreateState& p = *prepared.state;
  const Engine::Kind& k = *p.kind;
  return in_savepoint(k, [&]() -> ChangeResult {
    if (p.refusal) throw *p.refusal;  // reported as the refusal REST would answer
    if (!p.kept_id.empty())
      if (auto existing = store::rows::read(txn_, k.table, p.kept_id))
        return {ChangeOutcome::AlreadyExists, std::move(existing->body), existing->version, std::nullopt};
    std::optional<Event> event = p.event;  // the preparation may be shared: write a copy
    insert_checked(k, p.resource, p.text, event ? &*event : nullptr);
    return {ChangeOutcome::Created, p.text, 1, std::nullopt};
  });
}

ChangeResult WorkSession::merge_patch(const std::string& collection_path, const std::string& id, json::object patch,
                                      std::optional<std::int64_t> expected_version) {
  const Engine::Kind& k = engine_.find(collection_path);
  return in_savepoint(k, [&]() -> ChangeResult {
    auto p = patch_checked(k, id, false, json::value(std::move(patch)), as_if_match(expected_version));
    return {p.changed ? ChangeOutcome::Updated : ChangeOutcome::Unchanged, std::move(p.body), p.version, std::nullopt};
  });
}

ChangeResult WorkSession::json_patch(const std::string& collection_path, const std::string& id,
                                     json::array operations, std::optional<std::int64_t> expected_version) {
  const Engine::Kind& k = engine_.find(collection_path);
  return in_savepoint(k, [&]() -> ChangeResult {
    auto p = patch_checked(k, id, true, json::value(std::move(operations)), as_if_match(expected_version));
    return {p.changed ? ChangeOutcome::Updated : ChangeOutcome::Unchanged, std::move(p.body), p.version, std::nullopt};
  });
}

ChangeResult WorkSession::remove(const std::string& collection_path, const std::string& id,
                                 std::optional<std::int64_t> expected_version) {
  const Engine::Kind& k = engine_.find(collection_path);
  return in_savepoint(k, [&]() -> ChangeResult {
    auto removed = remove_checked(k, id, as_if_match(expected_version));
    return {ChangeOutcome::Deleted, std::move(removed.body), 0, std::nullopt};
  });
}

void WorkSession::emit_event(const std::string& collection_path, const std::string& id, const std::string& event_type) {
  const Engine::Kind& k = engine_.find(collection_path);
  if (event_type.empty()) throw std::invalid_argument("emit_event needs an event type");
  auto current = store::rows::read(txn_, k.table, id);
  if (!current) throw ApiError::not_found(k.kind.type + " '" + id + "' does not exist");
  txn_.emit(make_event(k.kind, event_type, current->body, id, context_));
}

void WorkSession::schedule_timer(const std::string& id, const std::string& handler,
                                 std::chrono::system_clock::time_point due, json::object payload) {
  if (id.empty() || handler.empty()) throw std::invalid_argument("a timer needs an id and a handler name");
  store::TimerRow row;
  row.id = id;
  row.handler = handler;
  row.due_ms = std::chrono::duration_cast<std::chrono::milliseconds>(due.time_since_epoch()).count();
  row.payload = json::serialize(payload);
  row.correlation_id = context_.correlation_id;
  store::store_timer(txn_.connection(), row);
  // The runner learns of it once it is committed (before, it could not read it).
  if (engine_.timers_changed_) txn_.after_commit(engine_.timers_changed_);
}

bool WorkSession::cancel_timer(const std::string& id) { return store::delete_timer(txn_.connection(), id); }

void WorkSession::insert_checked(const Engine::Kind& k, const json::object& resource, const std::string& text,
                                 Event* prepared_event) {
  const std::string id(resource.at("id").get_string());
  if (k.hooks.check_in_transaction) k.hooks.check_in_transaction(resource, nullptr, *this);
  store::rows::insert(txn_, k.table, id, text, record_change(k, id, &resource, nullptr, 1, "create"));
  if (prepared_event) txn_.emit(std::move(*prepared_event));
  else if (!k.kind.events.create.empty()) txn_.emit(make_event(k.kind, k.kind.events.create, text, id, context_));
  if (!k.subtype_event_kinds.empty()) engine_.emit_subtype_event(txn_, k, &EventNames::create, string_at(resource, "@type"), text, id, context_);
  if (k.hooks.events_on_create)
    for (auto& extra : k.hooks.events_on_create(resource, context_)) {
      extra.principal = context_.principal.subject;
      txn_.emit(std::move(extra));
    }
}

WorkSession::Patched WorkSession::patch_checked(const Engine::Kind& k, const std::string& id, bool is_json_patch,
                                                const json::value& patch, const std::optional<std::string>& if_match) {
  const ResourceKind& kind = k.kind;
  auto current = read_for_change(txn_, k, id, if_match);
  json::object before = parse_object(current.body);
  json::object after = before;
  if (is_json_patch) apply_json_patch(after, patch, engine_.options_.max_resource_bytes);
  else apply_merge_patch(after, patch.as_object());
  check_immutable(kind, before, after);
  // The last-update date is the server's: whatever the patch said, it is set below if and only if
  // something else changed.
  if (!kind.last_update_field.empty()) {
    if (auto* prev = before.if_contains(kind.last_update_field)) after[kind.last_update_field] = *prev;
    else after.erase(kind.last_update_field);
  }
  apply_lifecycle(kind, after, &before);
  check_mandatory(kind, after);
  check_attribute_types(kind, after);
  if (k.hooks.validate) k.hooks.validate(after, &before);

  const std::string state_field = kind.lifecycle ? kind.lifecycle->field : std::string();
  bool state_changed = !state_field.empty() && string_at(before, state_field) != string_at(after, state_field);
  // APIs with one change event (TMF633/634) announce state changes as attribute changes.
  bool others_changed = attributes_changed(before, after, kind.events.state_change.empty() ? "" : state_field,
                                           kind.last_update_field);
  if (!state_changed && !others_changed) return {std::move(current.body), current.version, false};
  if (k.hooks.check_in_transaction) k.hooks.check_in_transaction(after, &before, *this);
  if (!kind.last_update_field.empty()) after[kind.last_update_field] = now_iso8601();
  Patched out{json::serialize(after), current.version + 1, true};
  engine_.check_size(k, out.body);
  store::rows::update(txn_, k.table, id, out.body, out.version,
                      record_change(k, id, &after, &current.body, out.version, "update"));
  if (others_changed && !kind.events.attribute_value_change.empty())
    txn_.emit(make_event(kind, kind.events.attribute_value_change, out.body, id, context_));
  if (state_changed && !kind.events.state_change.empty())
    txn_.emit(make_event(kind, kind.events.state_change, out.body, id, context_));
  if (!k.subtype_event_kinds.empty()) {
    const std::string type = string_at(after, "@type");
    if (others_changed) engine_.emit_subtype_event(txn_, k, &EventNames::attribute_value_change, type, out.body, id, context_);
    if (state_changed) engine_.emit_subtype_event(txn_, k, &EventNames::state_change, type, out.body, id, context_);
  }
  return out;
}

StoredResource WorkSession::remove_checked(const Engine::Kind& k, const std::string& id,
                                           const std::optional<std::string>& if_match) {
  auto current = read_for_change(txn_, k, id, if_match);
  if (k.hooks.before_delete) k.hooks.before_delete(parse_object(current.body), *this);
  if (engine_.options_.record_history) {
    std::string type = k.kind.type;
    if (auto before = json::parse(current.body); before.is_object())
      if (auto* t = before.as_object().if_contains("@type"); t && t->is_string()) type = t->get_string();
    record_change(k, id, nullptr, &current.body, current.version, "delete", type);
  }
  store::rows::remove(txn_, k.table, id);
  if (!k.kind.events.remove.empty()) txn_.emit(make_event(k.kind, k.kind.events.remove, current.body, id, context_));
  if (!k.subtype_event_kinds.empty())
    if (auto before = json::parse(current.body); before.is_object())
      engine_.emit_subtype_event(txn_, k, &EventNames::remove, string_at(before.as_object(), "@type"), current.body, id, context_);
  return current;
}

namespace {

// The change's time: the lastUpdate (or creation date) the engine just wrote into the resource,
// so that reading as of that date shows this version; the clock otherwise.
std::int64_t change_time_ms(const ResourceKind& kind, const json::object* resource) {
  if (resource)
    for (const std::string* field : {&kind.last_update_field, &kind.created_field})
      if (!field->empty())
        if (auto* v = resource->if_contains(*field); v && v->is_string())
          if (auto ms = date_time_ms(v->get_string())) return *ms;
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

} // namespace

std::optional<std::int64_t> WorkSession::record_change(const Engine::Kind& k, const std::string& id,
                                                       const json::object* resource, const std::string* previous,
                                                       std::int64_t version, std::string_view operation,
                                                       std::string_view type) {
  if (!engine_.options_.record_history) return std::nullopt;
  store::history::Change c;
  c.at_ms = change_time_ms(k.kind, resource);
  c.principal = context_.principal.subject;
  c.correlation_id = context_.correlation_id;
  c.api = k.kind.api;
  c.collection = k.collection_path;
  c.resource_id = id;
  c.type = type.empty() ? std::string_view(k.kind.type) : type;
  if (resource)
    if (auto* t = resource->if_contains("@type"); t && t->is_string()) c.type = t->get_string();
  c.version = version;
  c.operation = operation_.empty() ? operation : operation_;
  c.creation = previous == nullptr;
  c.deletion = resource == nullptr;
  c.internal = k.kind.exposure != Exposure::Rest;
  c.previous_body = previous;
  if (previous) c.superseded_seq = store::rows::history_seq(txn_, k.table, id);
  return store::history::record(txn_, c);
}

} // namespace resource
} // namespace tmfd
