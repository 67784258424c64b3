#pragma once
// Events and the in-process event bus. Every change the resource engine commits writes its event
// to the outbox table in the same transaction; once the transaction is committed the bus hands
// the event to in-process subscribers, in commit order, on the bus's own thread.
#include <cstdint>
#include <functional>
#include <string>

namespace tmfd {

struct Event {
  std::int64_t sequence = 0;     // outbox sequence number: strictly increasing in commit order
  std::string event_id;
  std::string event_type;        // e.g. IndividualCreateEvent
  std::string domain;            // the API's short name, e.g. "party"
  std::string resource_type;     // the collection, e.g. "individual"
  std::string resource_id;
  std::string correlation_id;
  std::string topic;             // TMF688 topic id for events published to a topic; empty otherwise
  std::string payload;           // the whole TMF event body as JSON text
  std::string principal;         // subject of the principal whose change wrote it (empty: anonymous)
  // Written by an internal kind (Exposure::Internal): read by the module's durable reactions,
  // never delivered to hubs or event streams.
  bool internal = false;
};

using EventHandler = std::function<void(const Event&)>;

class EventBus {
public:
  virtual ~EventBus() = default;
  // Returns a subscription id. The handler runs on the bus thread; it must not block for long.
  // Exceptions it throws are logged and do not stop delivery to others.
  virtual std::uint64_t subscribe(std::string subscriber_name, EventHandler handler) = 0;
  // Once it returns, the handler is not running and is never called again, so what it uses may be
  // freed (it waits for a handler running on the bus thread). Called from inside a handler, it
  // returns at once: a handler cannot wait for itself.
  virtual void unsubscribe(std::uint64_t subscription_id) = 0;
};

} // namespace tmfd
