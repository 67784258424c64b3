# tmfd_extract_doc_examples(DOC OUT_DIR FILES_VAR) writes the code of a documentation page into
# files, so that the build compiles it and the tests run it: a page's example cannot rot unseen.
#
# In DOC (Markdown), an HTML comment at the start of a line (invisible on the rendered page) names
# the file that the fenced code block right after it belongs to:
#
#   <!-- example: simple_ticket_module.cpp -->
#   ```cpp
#   ...
#   ```
#
# Blocks marked with the same file name are concatenated into that file, in page order. C and C++
# files get a #line before each block, so that the compiler's errors and warnings name the page's
# own lines. Files are only rewritten when their text changed (no needless rebuild), and an edit of
# the page re-runs CMake. FILES_VAR receives the absolute paths of the files, in order of first
# appearance. A page without any marked block, a marker not followed by a fenced block, a block
# that is never closed or a file name that is not a plain name stop the configure with a message
# naming the page and the line.
#
# Parsed with string(FIND) and string(REGEX), never as a CMake list: code is full of ';' and '['.
function(tmfd_extract_doc_examples doc out_dir files_var)
  if(NOT EXISTS "${doc}")
    message(FATAL_ERROR "${doc}: not found; its code examples are compiled and tested (see docs/testing.md)")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${doc}")
  file(READ "${doc}" text)
  file(RELATIVE_PATH shown "${CMAKE_SOURCE_DIR}" "${doc}")
  # A marker starts a line (the page may quote one inside a sentence): look for it after a line
  # break, with one put before the first line.
  set(rest "\n${text}")
  set(marker_start "\n<!-- example:")
  set(line 0)          # line number, in the page, of the start of `rest`
  set(names "")        # file names, in order of first appearance (plain names: no ';')

  while(TRUE)
    string(FIND "${rest}" "${marker_start}" at)
    if(at EQUAL -1)
      break()
    endif()
    # Move to the marker (past the line break before it), counting the lines passed.
    math(EXPR at "${at} + 1")
    string(SUBSTRING "${rest}" 0 ${at} passed)
    _tmfd_count_lines("${passed}" n)
    math(EXPR line "${line} + ${n}")
    string(SUBSTRING "${rest}" ${at} -1 rest)

    string(REGEX MATCH "^<!-- example: *([A-Za-z0-9_.-]+) *-->[ \t]*\r?\n" marker "${rest}")
    if(NOT marker)
      message(FATAL_ERROR "${shown}:${line}: an example marker must read '<!-- example: FILE -->' on a "
                          "line of its own, FILE a plain file name (letters, digits, '_', '.', '-')")
    endif()
    set(name "${CMAKE_MATCH_1}")
    set(marker_line ${line})
    string(LENGTH "${marker}" length)
    string(SUBSTRING "${rest}" ${length} -1 rest)
    math(EXPR line "${line} + 1")

    # Blank lines, then the opening fence.
    string(REGEX MATCH "^([ \t]*\r?\n)*[ \t]*```[A-Za-z0-9_+-]*[ \t]*\r?\n" fence "${rest}")
    if(NOT fence)
      message(FATAL_ERROR "${shown}:${marker_line}: the marker for '${name}' must be followed by a fenced code block (```)")
    endif()
    _tmfd_count_lines("${fence}" n)
    math(EXPR line "${line} + ${n}")
    string(LENGTH "${fence}" length)
    string(SUBSTRING "${rest}" ${length} -1 rest)

    # The code, up to the closing fence at the start of a line.
    set(code_line ${line})
    if(rest MATCHES "^```")
      set(close 0)  # an empty block
    else()
      string(FIND "${rest}" "\n```" close)
      if(close EQUAL -1)
        message(FATAL_ERROR "${shown}:${marker_line}: the code block for '${name}' is never closed (```)")
      endif()
      math(EXPR close "${close} + 1")
    endif()
    string(SUBSTRING "${rest}" 0 ${close} code)
    _tmfd_count_lines("${code}" n)
    math(EXPR line "${line} + ${n}")
    string(SUBSTRING "${rest}" ${close} -1 rest)

    string(MAKE_C_IDENTIFIER "${name}" key)
    if(NOT "${name}" IN_LIST names)
      list(APPEND names "${name}")
      set(text_${key} "")
    endif()
    if(name MATCHES "\\.(c|cc|cpp|cxx|h|hh|hpp|hxx)$")
      string(APPEND text_${key} "#line ${code_line} \"${doc}\"\n")
    endif()
    string(APPEND text_${key} "${code}")
  endwhile()

  if(NOT names)
    message(FATAL_ERROR "${shown}: no code block is marked '<!-- example: FILE -->'. The page's example "
                        "is compiled into a test plugin and run by the integration tests; mark each "
                        "block of it with the file it belongs to (see docs/testing.md).")
  endif()

  file(MAKE_DIRECTORY "${out_dir}")
  set(files "")
  foreach(name IN LISTS names)
    string(MAKE_C_IDENTIFIER "${name}" key)
    set(header "")
    if(name MATCHES "\\.(c|cc|cpp|cxx|h|hh|hpp|hxx)$")
      set(header "// Generated from ${shown} by cmake/TmfdDocExamples.cmake: edit the page, not this file.\n")
    endif()
    file(WRITE "${out_dir}/${name}.new" "${header}${text_${key}}")
    file(COPY_FILE "${out_dir}/${name}.new" "${out_dir}/${name}" ONLY_IF_DIFFERENT)
    file(REMOVE "${out_dir}/${name}.new")
    list(APPEND files "${out_dir}/${name}")
  endforeach()
  set(${files_var} "${files}" PARENT_SCOPE)
endfunction()

# The number of line breaks in `text`.
function(_tmfd_count_lines text out_var)
  string(REGEX REPLACE "[^\n]" "" breaks "${text}")
  string(LENGTH "${breaks}" n)
  set(${out_var} ${n} PARENT_SCOPE)
endfunction()
