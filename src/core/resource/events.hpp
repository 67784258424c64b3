#pragma once
// TMF v4 event bodies for resource changes.
#include <string>

#include <tmfd/event.hpp>
#include <tmfd/json.hpp>
#include <tmfd/resource_kind.hpp>

namespace tmfd::resource {

// {eventId, eventTime, eventType, correlationId, domain, title, description, priority,
//  timeOcurred, event: {<collection>: resource}}. `timeOcurred` is the v4 spelling.
Event make_event(const ResourceKind& kind, const std::string& event_type,
                 const json::object& resource, const std::string& resource_id,
                 const std::string& correlation_id);

} // namespace tmfd::resource
