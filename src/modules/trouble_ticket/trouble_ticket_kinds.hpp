#pragma once
// TMF621 Trouble Ticket v4: the kinds of the trouble_ticket module and the paths they live under.
//
//  - troubleTicket: the ticket, an ordinary engine kind with the published lifecycle; its hooks
//    (ticket_rules.cpp) keep the status history, notes and related entities as the spec defines.
//  - troubleTicketNotice: internal (no route). One is written for each ticket status change that
//    TMF621 announces with an event of its own (TroubleTicketResolvedEvent,
//    TroubleTicketInformationRequiredEvent); its create writes that event (notice_kind.cpp).
#include <string>

#include <tmfd/resources.hpp>

namespace tmfd::trouble_ticket {

inline const std::string kApi = "troubleTicket";  // event domain
inline const std::string kBasePath = "/tmf-api/troubleTicket/v4";
inline const std::string kTickets = kBasePath + "/troubleTicket";
inline const std::string kNotices = kBasePath + "/troubleTicketNotice";  // no route

inline const std::string kStatusChangeEvent = "TroubleTicketStatusChangeEvent";
inline const std::string kResolvedEvent = "TroubleTicketResolvedEvent";
inline const std::string kInformationRequiredEvent = "TroubleTicketInformationRequiredEvent";

ResourceKind ticket_kind();
ResourceHooks ticket_hooks();

ResourceKind notice_kind();
ResourceHooks notice_hooks();

// The named event TMF621 defines for entering `status` ("resolved", "pending"), or "" for none.
std::string event_for_status(const std::string& status);

// Small JSON helpers shared by the module's files.
std::string string_at(const json::object& o, std::string_view key);
std::string new_id();   // a random UUID (version 4)

} // namespace tmfd::trouble_ticket
