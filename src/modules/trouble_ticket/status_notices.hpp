#pragma once
// Turns the ticket status changes that TMF621 announces with an event of their own (resolved,
// pending) into troubleTicketNotice resources, whose creation writes that event.
//
// It reads the outbox as a durable consumer: the status change event is committed with the
// ticket, and this reader picks it up from its stored cursor, so no such change is missed across
// crashes or restarts. The notice's id is the status change event's id, so reading an event a
// second time (at-least-once) finds its notice and writes nothing.
#include <atomic>
#include <memory>
#include <thread>

#include <tmfd/module.hpp>

namespace tmfd::trouble_ticket {

class StatusNotices {
public:
  // In Module::start(): opens the stream (before any write of this run).
  void open(ModuleContext& ctx);
  // In Module::serving(): starts the reading thread.
  void start();
  // In Module::stop(): closes the stream and joins the thread.
  void stop() noexcept;

private:
  void run();
  // Writes the notice for one outbox event if it calls for one; false when it could not be
  // written (the stream is then read again from that event).
  bool handle(const Event& e);

  Resources* resources_ = nullptr;
  std::unique_ptr<EventStream> stream_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
};

} // namespace tmfd::trouble_ticket
