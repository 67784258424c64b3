#pragma once
// The unit of work the engine runs on the writer thread: one per write job, whether the job is a
// REST call, an import or a module's unit of work. The change primitives (insert_checked,
// patch_checked, remove_checked) apply every rule and throw ApiError; the UnitOfWork methods wrap
// each in a savepoint and turn refusals into typed ChangeResults.
#include <optional>
#include <string>
#include <string_view>

#include <tmfd/unit_of_work.hpp>

#include "resource/engine.hpp"
#include "store/write_queue.hpp"

namespace tmfd::resource {

class WorkSession final : public UnitOfWork {
public:
  // `operation`: the action the unit runs for (recorded in the audit log instead of
  // create/update/delete); empty for plain changes.
  WorkSession(Engine& engine, store::WriteTxn& txn, const RequestContext& context, std::string_view operation = {})
      : engine_(engine), txn_(txn), context_(context), operation_(operation) {}

  // TransactionReader
  std::optional<StoredResource> get(const std::string& collection_path, const std::string& id) override;
  std::size_t count(const std::string& collection_path, const std::string& query) override;
  bool is_external(const json::object& reference) const override;

  // UnitOfWork
  const RequestContext& context() const override { return context_; }
  ListPage list(const std::string& collection_path, const std::string& query) override;
  ChangeResult create(const std::string& collection_path, json::object body, CreateOptions options) override;
  ChangeResult create(const PreparedCreate& prepared) override;
  ChangeResult merge_patch(const std::string& collection_path, const std::string& id, json::object patch,
                           std::optional<std::int64_t> expected_version) override;
  ChangeResult json_patch(const std::string& collection_path, const std::string& id, json::array operations,
                          std::optional<std::int64_t> expected_version) override;
  ChangeResult remove(const std::string& collection_path, const std::string& id,
                      std::optional<std::int64_t> expected_version) override;
  void emit_event(const std::string& collection_path, const std::string& id, const std::string& event_type) override;
  void schedule_timer(const std::string& id, const std::string& handler, std::chrono::system_clock::time_point due,
                      json::object payload) override;
  bool cancel_timer(const std::string& id) override;

  // The primitives. `resource` is prepared (Engine::prepare_new) and `text` its serialization.
  // `prepared_event`: the kind's create event, made by the caller off the writer thread (REST);
  // null: made here.
  void insert_checked(const Engine::Kind& k, const json::object& resource, const std::string& text,
                      Event* prepared_event = nullptr);
  struct Patched {
    std::string body;
    std::int64_t version = 0;
    bool changed = false;
  };
  // `if_match` as REST receives it (absent: no condition).
  Patched patch_checked(const Engine::Kind& k, const std::string& id, bool json_patch, const json::value& patch,
                        const std::optional<std::string>& if_match);
  // Returns the removed resource.
  StoredResource remove_checked(const Engine::Kind& k, const std::string& id, const std::optional<std::string>& if_match);

  // Records a change in the history (and audit) table, in the current transaction: `resource`
  // is the resource after it (null for a delete, then `type` names it), `previous` its body
  // before (null for a creation). Runs before the resource row is written (an update or delete
  // reads the row's hseq); returns the seq the row keeps as hseq, absent with history off.
  std::optional<std::int64_t> record_change(const Engine::Kind& k, const std::string& id, const json::object* resource,
                     const std::string* previous, std::int64_t version, std::string_view operation,
                     std::string_view type = {});

private:
  // Runs `change` in its own savepoint: a refusal rolls back what the change (and any hook it
  // ran) wrote, and leaves the rest of the unit as it was.
  template <class Change>
  ChangeResult in_savepoint(const Engine::Kind& k, Change&& change);

  Engine& engine_;
  store::WriteTxn& txn_;
  const RequestContext& context_;
  std::string_view operation_;
};

} // namespace tmfd::resource
