#include "observability/access_log.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <tmfd/log.hpp>

#include "observability/log_line.hpp"
#include "observability/logging.hpp"
#include "observability/utc_clock.hpp"

namespace tmfd::observability {

namespace {

constexpr auto kFlushInterval = std::chrono::milliseconds(50);
constexpr std::size_t kWakeBytes = 64 * 1024;

struct ThreadBuffer {
  std::mutex mutex;  // taken by its thread for each line, and by the flusher once per batch
  std::string text;  // whole lines, each ending with '\n'
  bool orphan = false;  // its thread ended: removed once drained
};

class Flusher {
public:
  static Flusher& instance() {
    static Flusher* f = new Flusher;  // never destroyed: threads may log while statics die
    return *f;
  }

  std::shared_ptr<ThreadBuffer> add_buffer() {
    auto b = std::make_shared<ThreadBuffer>();
    std::lock_guard lock(mutex_);
    buffers_.push_back(b);
    if (!thread_.joinable() && !stopped_) {
      prepare_log_output();  // the sink and its source exist before the hook below is registered
      thread_ = std::thread([this] { loop(); });
      std::atexit([] { Flusher::instance().stop(); });
    }
    return b;
  }

  void wake() { wake_.notify_one(); }

  // Moves every pending line to the sink, in one record per call.
  void flush() {
    std::lock_guard one_at_a_time(flushing_);
    batch_.clear();
    {
      std::lock_guard lock(mutex_);
      for (auto it = buffers_.begin(); it != buffers_.end();) {
        bool orphan;
        {
          std::lock_guard buffer_lock((*it)->mutex);
          batch_ += (*it)->text;
          (*it)->text.clear();
          orphan = (*it)->orphan;
        }
        // Erased once unlocked: this may be the last owner, which destroys the mutex.
        it = orphan ? buffers_.erase(it) : it + 1;
      }
    }
    if (batch_.empty()) return;
    batch_.pop_back();  // the sink ends each record with a newline
    write_log_text(batch_);
  }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    flush();
  }

private:
  void loop() {
    std::unique_lock lock(mutex_);
    while (!stopped_) {
      wake_.wait_for(lock, kFlushInterval);
      lock.unlock();
      flush();
      lock.lock();
    }
  }

  std::mutex mutex_;  // buffers_, stopped_
  std::condition_variable wake_;
  std::vector<std::shared_ptr<ThreadBuffer>> buffers_;
  bool stopped_ = false;
  std::thread thread_;
  std::mutex flushing_;
  std::string batch_;
};

// This thread's buffer, registered on first use and marked orphan when the thread ends.
struct LocalBuffer {
  std::shared_ptr<ThreadBuffer> buffer = Flusher::instance().add_buffer();
  ~LocalBuffer() {
    std::lock_guard lock(buffer->mutex);
    buffer->orphan = true;
  }
};

} // namespace

void write_access_line(std::string_view correlation_id, std::string_view method, std::string_view path,
                       int status, std::int64_t duration_us) {
  if (!log::enabled(log::Level::Info)) return;
  thread_local LocalBuffer local;
  thread_local std::string line;
  thread_local std::string time;
  assign_now_iso8601(time);
  const LogLine l{time, log::Level::Info, "access", "request", correlation_id,
                  {{"method", method}, {"path", path}, {"status", status}, {"duration_us", duration_us}}};
  line.clear();
  if (json_log_format())
    line = format_json(l);
  else
    append_text(line, l);
  std::size_t pending;
  {
    std::lock_guard lock(local.buffer->mutex);
    local.buffer->text += line;
    local.buffer->text += '\n';
    pending = local.buffer->text.size();
  }
  if (pending >= kWakeBytes) Flusher::instance().wake();
}

void flush_access_log() { Flusher::instance().flush(); }

} // namespace tmfd::observability
