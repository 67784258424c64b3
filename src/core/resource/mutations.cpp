// The write side of the resource engine: create, patch and delete. The request is checked as far
// as possible on the calling (I/O) thread; what depends on the stored state (existence, If-Match,
// the patched result, lifecycle transitions) runs in a job on the writer thread, inside the same
// transaction that writes the resource and its events to the outbox.
#include <algorithm>

#include <tmfd/error.hpp>
#include <tmfd/log.hpp>

#include "resource/engine.hpp"
#include "resource/events.hpp"
#include "resource/http_glue.hpp"
#include "resource/ids_and_time.hpp"
#include "resource/patch.hpp"
#include "resource/query.hpp"
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

// The stored resource a PATCH or DELETE changes: 404 when it does not exist, 412 when If-Match
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

std::string string_at(const json::object& o, const std::string& key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : std::string();
}

} // namespace

// Gives hooks read access to resources inside the running write transaction.
class Engine::InTransactionReader final : public TransactionReader {
public:
  InTransactionReader(const Engine& engine, store::WriteTxn& txn) : engine_(engine), txn_(txn) {}
  std::optional<StoredResource> get(const std::string& collection_path, const std::string& id) override {
    return store::rows::read(txn_, engine_.find(collection_path).table, id);
  }
  std::size_t count(const std::string& collection_path, const std::string& query) override {
    return store::rows::count(txn_, engine_.find(collection_path).table, parse_list_query(query));
  }
  bool is_external(const json::object& reference) const override {
    return is_external_reference(reference, engine_.options_.public_base_url);
  }

private:
  const Engine& engine_;
  store::WriteTxn& txn_;
};

void Engine::check_size(const Kind& k, const std::string& text) const {
  if (text.size() > options_.max_resource_bytes)
    throw ApiError(413, "RESOURCE_TOO_LARGE", "Resource too large",
                   k.kind.type + " would be " + std::to_string(text.size()) + " bytes; at most " +
                       std::to_string(options_.max_resource_bytes) + " are stored (resources.max_resource_bytes)");
}

json::object Engine::prepare_new(const Kind& k, json::object body, bool keep_client_id) const {
  const ResourceKind& kind = k.kind;
  std::string id;
  if (keep_client_id && body.contains("id")) {
    const auto& v = body.at("id");
    if (!v.is_string() || v.get_string().empty()) throw ApiError::invalid_attribute("id", "must be a non-empty string");
    id = std::string(v.get_string());
  } else {
    id = new_uuid();  // server-set: a client cannot choose the id of what it POSTs
  }
  body["id"] = id;
  body["href"] = href_for(k, id);
  if (k.hooks.path_of) body["href"] = options_.public_base_url + k.hooks.path_of(body);
  if (!body.contains("@type")) body["@type"] = kind.type;
  auto now = now_iso8601();
  if (!kind.created_field.empty()) body[kind.created_field] = now;
  if (!kind.last_update_field.empty()) body[kind.last_update_field] = now;
  check_mandatory(kind, body);
  check_attribute_types(kind, body);
  apply_lifecycle(kind, body, nullptr);
  run_validate_hook(k, body, nullptr);
  return body;
}

void Engine::do_create(const Kind& k, json::object body, std::string correlation_id, WriteCallback done) {
  // Everything that needs no stored state happens here, on the caller's thread, so the writer
  // thread only writes.
  auto resource = std::make_shared<json::object>(prepare_new(k, std::move(body), false));
  auto id = std::string(resource->at("id").get_string());
  auto href = std::string(resource->at("href").get_string());
  auto text = std::make_shared<std::string>(json::serialize(*resource));
  check_size(k, *text);
  auto event = k.kind.events.create.empty()
                   ? std::make_shared<Event>()
                   : std::make_shared<Event>(make_event(k.kind, k.kind.events.create, *text, id, correlation_id));
  const Kind* kp = &k;
  store::WriteJob job;
  job.correlation_id = correlation_id;
  job.run = [this, kp, id, resource, text, event](store::WriteTxn& txn) {
    if (kp->hooks.check_in_transaction) {
      InTransactionReader reader(*this, txn);
      kp->hooks.check_in_transaction(*resource, nullptr, reader);
    }
    store::rows::insert(txn, kp->table, id, *text);
    if (!event->event_type.empty()) txn.emit(std::move(*event));
    if (kp->hooks.events_on_create)
      for (auto& extra : kp->hooks.events_on_create(*resource)) txn.emit(std::move(extra));
  };
  job.done = [text, href, done = std::move(done)](std::exception_ptr error) {
    done(result_of(error, {201, std::move(*text), 1, href}));
  };
  db_.submit(std::move(job));
}

void Engine::import(std::vector<ImportEntry> entries, std::string correlation_id,
                    std::function<void(ImportOutcome)> done) {
  // Refusals are collected per entry; one refusal rolls the whole job back (its savepoint), so an
  // import is all or nothing.
  struct ImportRefused : std::runtime_error {
    ImportRefused() : std::runtime_error("import refused") {}
  };
  auto outcome = std::make_shared<ImportOutcome>();
  auto input = std::make_shared<std::vector<ImportEntry>>(std::move(entries));
  store::WriteJob job;
  job.correlation_id = correlation_id;
  job.run = [this, outcome, input, correlation_id](store::WriteTxn& txn) {
    InTransactionReader reader(*this, txn);
    // Entries are named by position, collection and (when the document gives one) id, so the
    // operator can find them in the document.
    std::vector<std::string> labels(input->size());
    for (std::size_t i = 0; i < input->size(); ++i) {
      const auto& entry = (*input)[i];
      labels[i] = entry.collection_path.substr(entry.collection_path.rfind('/') + 1);
      if (auto* id = entry.body.if_contains("id"); id && id->is_string())
        labels[i] += " '" + std::string(id->get_string()) + "'";
    }
    auto refuse = [&](std::size_t i, const ApiError& e) {
      outcome->errors.push_back("entry " + std::to_string(i + 1) + " (" + labels[i] +
                                "): " + (e.detail().empty() ? e.reason() : e.detail()));
    };
    // Pass 1 writes every entry; pass 2 checks references, so entries of one import may refer
    // to each other in any order (categories and candidates refer both ways).
    std::vector<std::pair<const Kind*, json::object>> written(input->size());
    for (std::size_t i = 0; i < input->size(); ++i) {
      auto& entry = (*input)[i];
      try {
        auto it = kinds_.find(entry.collection_path);
        if (it == kinds_.end()) throw ApiError::bad_request("no resource collection at " + entry.collection_path);
        const Kind& k = *it->second;
        json::object resource = prepare_new(k, std::move(entry.body), true);
        std::string id(resource.at("id").get_string());
        if (store::rows::read(txn, k.table, id)) throw ApiError::conflict(k.kind.type + " '" + id + "' already exists");
        auto text = json::serialize(resource);
        check_size(k, text);
        store::rows::insert(txn, k.table, id, text);
        if (!k.kind.events.create.empty()) txn.emit(make_event(k.kind, k.kind.events.create, text, id, correlation_id));
        if (k.hooks.events_on_create)
          for (auto& extra : k.hooks.events_on_create(resource)) txn.emit(std::move(extra));
        written[i] = {&k, std::move(resource)};
      } catch (const ApiError& e) {
        refuse(i, e);
      }
    }
    for (std::size_t i = 0; i < written.size(); ++i) {
      const Kind* k = written[i].first;
      if (!k || !k->hooks.check_in_transaction) continue;
      try {
        k->hooks.check_in_transaction(written[i].second, nullptr, reader);
      } catch (const ApiError& e) {
        refuse(i, e);
      }
    }
    outcome->created = input->size() - outcome->errors.size();
    if (outcome->errors.empty()) return;
    // Reported in entry order whichever pass refused them.
    auto entry_number = [](const std::string& e) { return std::stoul(e.substr(6)); };
    std::stable_sort(outcome->errors.begin(), outcome->errors.end(),
                     [&](const std::string& a, const std::string& b) { return entry_number(a) < entry_number(b); });
    throw ImportRefused();
  };
  job.done = [outcome, done = std::move(done)](std::exception_ptr error) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const ImportRefused&) {
      } catch (const std::exception& e) {
        outcome->errors.push_back(std::string("the import could not be stored: ") + e.what());
      }
      outcome->created = 0;
      outcome->committed = false;
    } else {
      outcome->committed = true;
    }
    done(std::move(*outcome));
  };
  db_.submit(std::move(job));
}

void Engine::do_patch(const Kind& k, std::string id, PatchMode mode, json::value patch,
                      std::optional<std::string> if_match,
                      std::string correlation_id, WriteCallback done) {
  struct Outcome {
    std::string body;
    std::int64_t version = 0;
  };
  auto outcome = std::make_shared<Outcome>();
  const Kind* kp = &k;
  store::WriteJob job;
  job.correlation_id = correlation_id;
  job.run = [this, kp, id, mode, patch = std::move(patch), if_match, correlation_id, outcome](store::WriteTxn& txn) {
    const ResourceKind& kind = kp->kind;
    auto current = read_for_change(txn, *kp, id, if_match);
    json::object before = parse_object(current.body);
    json::object after = before;
    if (mode == PatchMode::Merge) apply_merge_patch(after, patch.as_object());
    else apply_json_patch(after, patch, options_.max_resource_bytes);
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
    // APIs with one change event (TMF633/634) announce state changes as attribute changes.
    bool others_changed = attributes_changed(before, after, kind.events.state_change.empty() ? "" : state_field,
                                             kind.last_update_field);
    if (!state_changed && !others_changed) {  // nothing to write, nothing to announce
      outcome->body = std::move(current.body);
      outcome->version = current.version;
      return;
    }
    if (kp->hooks.check_in_transaction) {
      InTransactionReader reader(*this, txn);
      kp->hooks.check_in_transaction(after, &before, reader);
    }
    if (!kind.last_update_field.empty()) after[kind.last_update_field] = now_iso8601();
    outcome->body = json::serialize(after);
    check_size(*kp, outcome->body);
    outcome->version = current.version + 1;
    store::rows::update(txn, kp->table, id, outcome->body, outcome->version);
    if (others_changed && !kind.events.attribute_value_change.empty())
      txn.emit(make_event(kind, kind.events.attribute_value_change, outcome->body, id, correlation_id));
    if (state_changed && !kind.events.state_change.empty())
      txn.emit(make_event(kind, kind.events.state_change, outcome->body, id, correlation_id));
  };
  job.done = [outcome, done = std::move(done)](std::exception_ptr error) {
    done(result_of(error, {200, std::move(outcome->body), outcome->version, {}}));
  };
  db_.submit(std::move(job));
}

void Engine::do_delete(const Kind& k, std::string id, std::optional<std::string> if_match,
                       std::string correlation_id,
                       WriteCallback done) {
  const Kind* kp = &k;
  store::WriteJob job;
  job.correlation_id = correlation_id;
  job.run = [this, kp, id, if_match, correlation_id](store::WriteTxn& txn) {
    const ResourceKind& kind = kp->kind;
    auto current = read_for_change(txn, *kp, id, if_match);
    json::object resource = parse_object(current.body);
    if (kp->hooks.before_delete) {
      InTransactionReader reader(*this, txn);
      kp->hooks.before_delete(resource, reader);
    }
    store::rows::remove(txn, kp->table, id);
    if (!kind.events.remove.empty()) txn.emit(make_event(kind, kind.events.remove, current.body, id, correlation_id));
  };
  job.done = [done = std::move(done)](std::exception_ptr error) {
    done(result_of(error, {204, {}, 0, {}}));
  };
  db_.submit(std::move(job));
}

} // namespace tmfd::resource
