# The TMF688 event module's integration tests (tag [event-hub]): topics, events on topics, topic
# hubs and the central hub, against the real binary with the event module enabled.
target_sources(tmfd_integration_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/integration/event_hub_test.cpp)
add_dependencies(tmfd_integration_tests tmfd_event)

# The tests receive callbacks with support/callback_receiver.cpp, which delivery.cmake adds to the
# test support library; add it here only if that fragment did not.
get_target_property(tmfd_event_hub_support_sources tmfd_test_support SOURCES)
if(NOT "${tmfd_event_hub_support_sources}" MATCHES "callback_receiver\\.cpp")
  target_sources(tmfd_test_support PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/support/callback_receiver.cpp)
endif()
