# The TMF688 event module's integration tests (tag [event-hub]): topics, events on topics, topic
# hubs and the central hub, against the real binary with the event module enabled.
target_sources(tmfd_integration_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/integration/event_hub_test.cpp)
add_dependencies(tmfd_integration_tests tmfd_event)

# The tests receive callbacks with support/callback_receiver.cpp, which delivery.cmake (included
# before this fragment, never optionally) adds to the test support library.
