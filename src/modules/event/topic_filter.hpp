#pragma once
// What a topic's hubs filter on, built from the topic's headerQuery and contentQuery.
#include <string>

#include <tmfd/json.hpp>

namespace tmfd::event {

// The filter a topic's hubs apply, in TMF630 query syntax: the topic's headerQuery as given (it
// filters the event's header: eventType, domain, priority...), then its contentQuery with every
// attribute path moved under the event's "event" member ("individual.status=validated" becomes
// "event.individual.status=validated"), joined by '&'. Empty when the topic has neither.
std::string topic_filter(const json::object& topic);

} // namespace tmfd::event
