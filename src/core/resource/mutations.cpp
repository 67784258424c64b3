// The write side of the resource engine: REST create, patch and delete, imports, and modules'
// units of work. The request is checked as far as possible on the calling (I/O) thread; what
// depends on the stored state (existence, If-Match, the patched result, lifecycle transitions)
// runs in a job on the writer thread, through the WorkSession primitives every write path shares.
#include <algorithm>
#include <future>

#include <tmfd/error.hpp>
#include <tmfd/log.hpp>

#include "resource/engine.hpp"
#include "resource/events.hpp"
#include "resource/http_glue.hpp"
#include "resource/ids_and_time.hpp"
#include "resource/patch.hpp"
#include "resource/query.hpp"
#include "resource/resource_filter.hpp"
#include "resource/rules.hpp"
#include "resource/prepared_create.hpp"
#include "resource/work_session.hpp"

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

RequestContext context_of(std::string correlation_id) {
  RequestContext context;
  context.correlation_id = std::move(correlation_id);
  context.received_at = now_iso8601();
  return context;
}

} // namespace

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
  // A resource of a subtype (Kind::subtype_paths) is named by the subtype's path.
  if (!k.subtype_paths.empty() && !k.hooks.path_of)
    if (const auto* type = body.at("@type").if_string())
      if (const auto it = k.subtype_paths.find(std::string(*type)); it != k.subtype_paths.end())
        body["href"] = options_.public_base_url + it->second + "/" + id;
  auto now = now_iso8601();
  if (!kind.created_field.empty()) body[kind.created_field] = now;
  if (!kind.last_update_field.empty()) body[kind.last_update_field] = now;
  check_mandatory(kind, body);
  check_attribute_types(kind, body);
  apply_lifecycle(kind, body, nullptr);
  if (k.hooks.validate) k.hooks.validate(body, nullptr);
  return body;
}

void Engine::do_create(const Kind& k, json::object body, RequestContext context, WriteCallback done) {
  // Everything that needs no stored state happens here, on the caller's thread, so the writer
  // thread only writes.
  auto resource = std::make_shared<json::object>(prepare_new(k, std::move(body), false));
  require_writable(context, *resource);
  auto href = std::string(resource->at("href").get_string());
  auto text = std::make_shared<std::string>(json::serialize(*resource));
  check_size(k, *text);
  // The event too is made here, so that the writer only writes.
  auto event = k.kind.events.create.empty()
                   ? std::shared_ptr<Event>()
                   : std::make_shared<Event>(make_event(k.kind, k.kind.events.create, *text,
                                                        std::string(resource->at("id").get_string()), context));
  const Kind* kp = &k;
  store::WriteJob job;
  job.correlation_id = context.correlation_id;
  job.run = [this, kp, resource, text, event, context = std::move(context)](store::WriteTxn& txn) {
    WorkSession session(*this, txn, context);
    session.insert_checked(*kp, *resource, *text, event.get());
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
  job.run = [this, outcome, input, context = context_of(correlation_id)](store::WriteTxn& txn) {
    WorkSession session(*this, txn, context);
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
        if (it == kinds_.end() || it->second->kind.exposure != Exposure::Rest)
          throw ApiError::bad_request("no resource collection at " + entry.collection_path);
        const Kind& k = *it->second;
        json::object resource = prepare_new(k, std::move(entry.body), true);
        std::string id(resource.at("id").get_string());
        if (store::rows::read(txn, k.table, id)) throw ApiError::conflict(k.kind.type + " '" + id + "' already exists");
        auto text = json::serialize(resource);
        check_size(k, text);
        store::rows::insert(txn, k.table, id, text, session.record_change(k, id, &resource, nullptr, 1, "create"));
        if (!k.kind.events.create.empty()) txn.emit(make_event(k.kind, k.kind.events.create, text, id, session.context()));
        if (const auto* type = resource.at("@type").if_string())
          emit_subtype_event(txn, k, &EventNames::create, *type, text, id, session.context());
        if (k.hooks.events_on_create)
          for (auto& extra : k.hooks.events_on_create(resource, session.context())) txn.emit(std::move(extra));
        written[i] = {&k, std::move(resource)};
      } catch (const ApiError& e) {
        refuse(i, e);
      }
    }
    for (std::size_t i = 0; i < written.size(); ++i) {
      const Kind* k = written[i].first;
      if (!k || !k->hooks.check_in_transaction) continue;
      try {
        k->hooks.check_in_transaction(written[i].second, nullptr, session);
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
      } catch (const ApiError& e) {
        outcome->errors.push_back("the import could not be stored: " + (e.detail().empty() ? e.reason() : e.detail()));
      } catch (const std::exception& e) {
        // The store's own text (SQL, paths) stays in the log; the client gets a plain reason.
        log::error("resource", "import could not be stored", {{"error", e.what()}});
        outcome->errors.push_back("the import could not be stored: an internal error (details in the log)");
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
                      std::optional<std::string> if_match, RequestContext context, WriteCallback done) {
  auto outcome = std::make_shared<WorkSession::Patched>();
  const Kind* kp = &k;
  store::WriteJob job;
  job.correlation_id = context.correlation_id;
  job.run = [this, kp, id = std::move(id), mode, patch = std::move(patch), if_match = std::move(if_match),
             context = std::move(context), outcome](store::WriteTxn& txn) {
    WorkSession session(*this, txn, context);
    if (!context.resource_filter.empty())
      if (auto current = store::rows::read(txn, kp->table, id))
        require_visible(context, current->body, kp->kind.type + " '" + id + "'");
    *outcome = session.patch_checked(*kp, id, mode == PatchMode::JsonPatch, patch, if_match);
    if (!context.resource_filter.empty()) require_writable(context, json::parse(outcome->body));
  };
  job.done = [outcome, done = std::move(done)](std::exception_ptr error) {
    done(result_of(error, {200, std::move(outcome->body), outcome->version, {}}));
  };
  db_.submit(std::move(job));
}

void Engine::do_delete(const Kind& k, std::string id, std::optional<std::string> if_match, RequestContext context,
                       WriteCallback done) {
  const Kind* kp = &k;
  store::WriteJob job;
  job.correlation_id = context.correlation_id;
  job.run = [this, kp, id = std::move(id), if_match = std::move(if_match),
             context = std::move(context)](store::WriteTxn& txn) {
    WorkSession session(*this, txn, context);
    if (!context.resource_filter.empty())
      if (auto current = store::rows::read(txn, kp->table, id))
        require_visible(context, current->body, kp->kind.type + " '" + id + "'");
    session.remove_checked(*kp, id, if_match);
  };
  job.done = [done = std::move(done)](std::exception_ptr error) {
    done(result_of(error, {204, {}, 0, {}}));
  };
  db_.submit(std::move(job));
}

void Engine::create(const std::string& collection_path, json::object body, std::string correlation_id,
                    WriteCallback done) {
  do_create(find(collection_path), std::move(body), context_of(std::move(correlation_id)), std::move(done));
}

void Engine::patch(const std::string& collection_path, const std::string& id, json::object merge_patch,
                   std::string correlation_id, WriteCallback done) {
  do_patch(find(collection_path), id, PatchMode::Merge, json::value(std::move(merge_patch)), {},
           context_of(std::move(correlation_id)), std::move(done));
}

namespace {

// What a unit of work that did not commit reports.
ApiError unit_error(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const ApiError& e) {
    return e;
  } catch (const std::exception& e) {
    log::error("resource", "unit of work failed", {{"error", e.what()}});
    return ApiError(500, "INTERNAL_ERROR", "Internal error", "the unit of work failed; nothing of it was applied");
  } catch (...) {
    return ApiError(500, "INTERNAL_ERROR", "Internal error", "the unit of work failed; nothing of it was applied");
  }
}

} // namespace

void Engine::run(RequestContext context, std::function<void(UnitOfWork&)> work,
                 std::function<void(UnitOfWorkResult)> done) {
  run_for(std::move(context), {}, std::move(work), std::move(done));
}

void Engine::run_for(RequestContext context, std::string operation, std::function<void(UnitOfWork&)> work,
                     std::function<void(UnitOfWorkResult)> done) {
  if (context.received_at.empty()) context.received_at = now_iso8601();
  store::WriteJob job;
  job.correlation_id = context.correlation_id;
  job.run = [this, context = std::move(context), operation = std::move(operation),
             work = std::move(work)](store::WriteTxn& txn) {
    WorkSession session(*this, txn, context, operation);
    work(session);
  };
  job.done = [done = std::move(done)](std::exception_ptr error) {
    UnitOfWorkResult result;
    result.committed = !error;
    if (error) result.error = unit_error(error);
    if (done) done(std::move(result));
  };
  db_.submit(std::move(job));
}

PreparedCreate Engine::prepare_create(const std::string& collection_path, json::object body,
                                     const RequestContext& context, CreateOptions options) {
  const Kind& k = find(collection_path);
  auto state = std::make_shared<PreparedCreateState>();
  state->kind = &k;
  if (auto* id = body.if_contains("id"); options.keep_id && id && id->is_string() && !id->get_string().empty())
    state->kept_id = std::string(id->get_string());
  try {
    state->resource = prepare_new(k, std::move(body), options.keep_id);
    state->text = json::serialize(state->resource);
    check_size(k, state->text);
    if (!k.kind.events.create.empty())
      state->event = make_event(k.kind, k.kind.events.create, state->text,
                                std::string(state->resource.at("id").get_string()), context);
  } catch (const ApiError& e) {
    state->refusal = e;
  }
  return PreparedCreate{std::move(state)};
}

UnitOfWorkResult Engine::run_and_wait(RequestContext context, std::function<void(UnitOfWork&)> work) {
  if (store::WriteQueue::on_writer_thread())
    throw std::logic_error("run_and_wait on the writer thread would wait for itself; use the hook's unit of work "
                           "or run() with a callback");
  std::promise<UnitOfWorkResult> finished;
  auto result = finished.get_future();
  run(std::move(context), std::move(work), [&finished](UnitOfWorkResult r) { finished.set_value(std::move(r)); });
  return result.get();
}

} // namespace tmfd::resource

namespace tmfd::resource {

void Engine::add_action(const std::string& collection_path, ResourceAction action) {
  const Kind& k = find(collection_path);
  if (action.name.empty() || action.name.find_first_of("/{}?#") != std::string::npos)
    throw std::invalid_argument("action on " + collection_path + ": a name is one plain path segment");
  if (!action.handler) throw std::invalid_argument("action '" + action.name + "' has no handler");
  if (!action_paths_.insert(collection_path + "/" + action.name).second)
    throw std::invalid_argument("action '" + action.name + "' on " + collection_path + " is added twice");
  const Kind* kp = &k;
  auto shared = std::make_shared<ResourceAction>(std::move(action));
  const std::string base = k.kind.exposure == Exposure::Rest ? "" : "/admin";
  routes_.add(http::Method::Post, base + collection_path + "/{id}/" + shared->name,
              [this, kp, shared](http::Request& req, http::Reply reply) {
                json::object request;
                if (!req.body.empty()) {
                  require_json_content_type(req.content_type);
                  request = parse_object(req.body);
                }
                auto result = std::make_shared<ActionResult>();
                run_for(req.context, shared->name,
                    [kp, shared, id = std::string(req.param("id")), request = std::move(request),
                     result](UnitOfWork& work) {
                      auto stored = work.get(kp->collection_path, id);
                      if (!stored) throw ApiError::not_found(kp->kind.type + " '" + id + "' does not exist");
                      *result = shared->handler(*stored, request, work);
                    },
                    [result, reply = std::move(reply)](UnitOfWorkResult outcome) {
                      if (!outcome.committed)
                        return reply(http::Response::json(outcome.error->http_status(), outcome.error->body()));
                      reply(http::Response::json(result->status, std::move(result->body)));
                    });
              },
              http::RouteInfo{.api = k.kind.api, .kind = k.kind.collection, .operation = shared->name});
}

} // namespace tmfd::resource
