# The example module of docs/adding-a-module.md, compiled from the page itself and run by the
# page's own test through the real binary, so that the page cannot drift from the SDK unseen.
#
# Every fenced block marked `<!-- example: FILE -->` goes into FILE under build/test/doc_example/
# (cmake/TmfdDocExamples.cmake). Then:
#   - FILE_test.cpp files are integration tests, compiled into tmfd_integration_tests;
#   - the other .cpp files are the module, built as a plugin like a shipped one, into the plugin
#     folder (but neither installed nor part of tmfd_plugins), named as its TMFD_PLUGIN says;
#   - headers and other files (a YAML block, say) are only written there, beside the sources.
# The page must have both a module and a test that enables it; its module must not be named like
# a module tmfd ships. Anything else stops the configure with a message saying what is missing.
include(TmfdDocExamples)

set(tmfd_doc_page ${CMAKE_SOURCE_DIR}/docs/adding-a-module.md)
set(tmfd_doc_dir ${CMAKE_CURRENT_BINARY_DIR}/doc_example)
tmfd_extract_doc_examples(${tmfd_doc_page} ${tmfd_doc_dir} tmfd_doc_files)

set(tmfd_doc_module_sources "")
set(tmfd_doc_test_sources "")
foreach(file IN LISTS tmfd_doc_files)
  if(file MATCHES "_test\\.cpp$")
    list(APPEND tmfd_doc_test_sources ${file})
  elseif(file MATCHES "\\.(cpp|cc|cxx)$")
    list(APPEND tmfd_doc_module_sources ${file})
  endif()
endforeach()
if(NOT tmfd_doc_module_sources)
  message(FATAL_ERROR "docs/adding-a-module.md: no block of the example module is marked "
                      "'<!-- example: NAME.cpp -->' (see docs/testing.md)")
endif()
if(NOT tmfd_doc_test_sources)
  message(FATAL_ERROR "docs/adding-a-module.md: no test of the example module is marked "
                      "'<!-- example: NAME_test.cpp -->': the page's example must be run, not only compiled")
endif()

# The module's name, as its TMFD_PLUGIN("NAME", ...) declares it.
set(tmfd_doc_module "")
foreach(file IN LISTS tmfd_doc_module_sources)
  file(READ ${file} text)
  if(text MATCHES "TMFD_PLUGIN\\([ \t\r\n]*\"([A-Za-z0-9_]+)\"")
    set(tmfd_doc_module ${CMAKE_MATCH_1})
  endif()
endforeach()
if(NOT tmfd_doc_module)
  message(FATAL_ERROR "docs/adding-a-module.md: the example module's code has no TMFD_PLUGIN(\"NAME\", ...)")
endif()
if(TARGET tmfd_${tmfd_doc_module})
  message(FATAL_ERROR "docs/adding-a-module.md: the example module is named '${tmfd_doc_module}', like a "
                      "plugin tmfd ships (target tmfd_${tmfd_doc_module}): give the example a name of its own")
endif()
set(tmfd_doc_mentioned FALSE)
foreach(file IN LISTS tmfd_doc_test_sources)
  file(READ ${file} text)
  string(FIND "${text}" "${tmfd_doc_module}" at)
  if(NOT at EQUAL -1)
    set(tmfd_doc_mentioned TRUE)
  endif()
endforeach()
if(NOT tmfd_doc_mentioned)
  message(FATAL_ERROR "docs/adding-a-module.md: the example's test never names the module "
                      "'${tmfd_doc_module}', so it cannot be enabling it")
endif()

tmfd_build_plugin(${tmfd_doc_module} ${tmfd_doc_module_sources})
target_include_directories(tmfd_${tmfd_doc_module} PRIVATE ${tmfd_doc_dir})
target_sources(tmfd_integration_tests PRIVATE ${tmfd_doc_test_sources})
add_dependencies(tmfd_integration_tests tmfd_${tmfd_doc_module})
