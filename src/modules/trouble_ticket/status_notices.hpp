#pragma once
// Turns the ticket status changes that TMF621 announces with an event of their own (resolved,
// pending) into troubleTicketNotice resources, whose creation writes that event.
//
// A durable reaction of the kernel (tmfd/reactions.hpp) on the ticket's status change events: the
// notice is written in a unit of work that commits with the reaction's progress, so each status
// change gets its event once, across crashes and restarts. The notice's id is the status change
// event's id, which also makes a second run of the same event (after an upgrade from the earlier
// event-stream reader) find its notice and write nothing.
#include <tmfd/module.hpp>

namespace tmfd::trouble_ticket {

// In Module::start(): registers the reaction.
void add_status_notices(ModuleContext& ctx);

} // namespace tmfd::trouble_ticket
