#include "delivery/event_streams.hpp"

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include <tmfd/log.hpp>

#include "delivery/hub_store.hpp"
#include "delivery/outbox_log.hpp"
#include "store/database.hpp"

namespace tmfd::delivery {

class EventStreams::Stream final : public EventStream {
public:
  Stream(EventStreams& owner, std::string name, std::int64_t cursor, OutboxSelection selection)
      : owner_(owner), name_(std::move(name)), selection_(std::move(selection)), read_position_(cursor),
        acknowledged_(cursor),
        stored_(std::make_shared<std::atomic<std::int64_t>>(cursor)) {}
  ~Stream() override { owner_.closed(this); }

  std::vector<Event> next(std::size_t max, std::chrono::milliseconds wait) override {
    {
      std::unique_lock lock(owner_.mutex_);
      owner_.committed_.wait_for(lock, wait, [&] { return closed_ || owner_.head_ > read_position_; });
      if (closed_) return {};
    }
    // Events of other types (and internal kinds' events, which never leave the process unless
    // asked for) are skipped inside the read; read_position_ still moves past them.
    auto read = read_outbox_selected(owner_.db_.reader(), read_position_, owner_.db_.durable_sequence(),
                                     std::max<std::size_t>(max, 1), selection_);
    read_position_ = read.read_upto;
    std::vector<Event> events;
    events.reserve(read.entries.size());
    for (auto& entry : read.entries) events.push_back(std::move(entry.event));
    return events;
  }

  std::int64_t position() const override { return read_position_; }

  void acknowledge(std::int64_t sequence) override {
    if (sequence <= acknowledged_) return;
    acknowledged_ = sequence;
    store::WriteJob job;
    job.run = [name = name_, sequence](store::WriteTxn& txn) {
      hub_store::store_consumer_cursor(txn.connection(), name, sequence);
    };
    // The stored figure is shared with the job: the stream may be gone when the job completes.
    job.done = [stored = stored_, sequence, name = name_](std::exception_ptr error) {
      if (error) {
        log::warn("delivery", "consumer cursor not stored; events after the last stored one are sent again",
                  {{"consumer", name}});
        return;
      }
      auto current = stored->load();
      while (current < sequence && !stored->compare_exchange_weak(current, sequence)) {
      }
    };
    owner_.db_.submit(std::move(job));
  }

  void rewind() override { read_position_ = acknowledged_; }
  std::int64_t acknowledged() const override { return acknowledged_; }

  void close() override {
    std::lock_guard lock(owner_.mutex_);
    closed_ = true;
    owner_.committed_.notify_all();
  }

  const std::string& name() const { return name_; }
  std::int64_t stored() const { return stored_->load(); }

private:
  EventStreams& owner_;
  std::string name_;
  OutboxSelection selection_;
  std::int64_t read_position_;
  std::int64_t acknowledged_;
  std::shared_ptr<std::atomic<std::int64_t>> stored_;  // what a restart would resume after
  bool closed_ = false;     // guarded by owner_.mutex_
};

EventStreams::EventStreams(store::Database& db) : db_(db) {}

std::unique_ptr<EventStream> EventStreams::open(const std::string& consumer, StreamStart first_start,
                                                bool include_internal, std::vector<std::string> event_types) {
  if (consumer.empty()) throw std::invalid_argument("an event stream needs a consumer name");
  auto& reader = db_.reader();
  std::int64_t cursor = 0;
  if (!hub_store::load_consumer_cursor(reader, consumer, cursor)) {
    cursor = first_start == StreamStart::Earliest ? outbox_before_oldest(reader) : outbox_head(reader);
    // Stored at once (modules open streams before the writer runs): a restart before the first
    // acknowledgement resumes from here, and the outbox keeps what comes after it meanwhile.
    db_.with_writer([&](store::Connection& writer) { hub_store::store_consumer_cursor(writer, consumer, cursor); });
  } else {
    const auto oldest = outbox_before_oldest(reader);
    if (oldest > cursor)
      log::warn("delivery", "events this consumer had not read were pruned while it was not running",
                {{"consumer", consumer}, {"cursor", cursor}, {"resumes_after", oldest}});
  }
  std::lock_guard lock(mutex_);
  for (auto* s : open_)
    if (s->name() == consumer) throw std::invalid_argument("event stream '" + consumer + "' is already open");
  head_ = std::max(head_, outbox_head(reader));
  auto stream = std::make_unique<Stream>(*this, consumer, cursor, OutboxSelection{std::move(event_types), include_internal});
  open_.push_back(stream.get());
  log::info("delivery", "event stream opened", {{"consumer", consumer}, {"cursor", cursor}});
  return stream;
}

void EventStreams::closed(Stream* stream) {
  std::lock_guard lock(mutex_);
  std::erase(open_, stream);
}

void EventStreams::notify(std::int64_t sequence) {
  {
    std::lock_guard lock(mutex_);
    if (sequence <= head_) return;
    head_ = sequence;
  }
  committed_.notify_all();
}

std::optional<std::int64_t> EventStreams::min_stored_cursor() const {
  std::lock_guard lock(mutex_);
  std::optional<std::int64_t> min;
  for (auto* s : open_) min = min ? std::min(*min, s->stored()) : s->stored();
  return min;
}

std::vector<std::pair<std::string, std::int64_t>> EventStreams::cursors() const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (auto* s : open_) out.emplace_back(s->name(), s->stored());
  return out;
}

} // namespace tmfd::delivery
