// The trouble_ticket module: TMF621 Trouble Ticket v4 on the kernel's resource engine.
//   {base}/troubleTicket[/{id}]   tickets: list, create, get, patch, delete, with the published
//                                 lifecycle, server-kept status history and all six TMF621 events
//   {base}/hub[/{id}]             served by the kernel for every API base path with kinds
// The module has no keys of its own besides `enabled`.
#include <tmfd/plugin.hpp>

#include "status_notices.hpp"
#include "trouble_ticket_kinds.hpp"

namespace tmfd::trouble_ticket {

class TroubleTicketModule final : public Module {
public:
  void start(ModuleContext& ctx) override {
    ctx.resources().add(ticket_kind(), ticket_hooks());
    ctx.resources().add(notice_kind(), notice_hooks());
    add_status_notices(ctx);
  }
};

} // namespace tmfd::trouble_ticket

TMFD_PLUGIN("trouble_ticket", "0.1.0", tmfd::trouble_ticket::TroubleTicketModule, {nullptr})
