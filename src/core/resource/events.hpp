#pragma once
// TMF v4 event bodies for resource changes.
#include <string>
#include <string_view>

#include <tmfd/context.hpp>
#include <tmfd/event.hpp>
#include <tmfd/json.hpp>
#include <tmfd/resource_kind.hpp>

namespace tmfd::resource {

// {eventId, eventTime, eventType, correlationId, domain, title, description, priority,
//  timeOcurred, event: {<collection>: resource}}. `timeOcurred` is the v4 spelling.
// `resource_json` is the resource already serialized: the envelope is written around it rather
// than serializing the resource a second time. The context's correlation id and principal are
// recorded with the event; events of internal kinds are marked internal.
Event make_event(const ResourceKind& kind, const std::string& event_type, std::string_view resource_json,
                 const std::string& resource_id, const RequestContext& context);

} // namespace tmfd::resource
