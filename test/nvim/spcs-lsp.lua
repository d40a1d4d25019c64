-- Drives the SPCS language server from a real Neovim (0.7+: vim.lsp.start_client + buf_attach_client).
--
-- Run headless: `nvim --headless -u NONE -i NONE -n -c 'luafile test/nvim/spcs-lsp.lua'` with
--   SPCS_SERVER       absolute path of dist/server/server.js (started as `node <it> --stdio`)
--   SPCS_FILE         the YAML file to open; it is opened with filetype `yaml`, so the server must
--                     recognise a spec by its content
--   SPCS_RESULT_FILE  where the JSON lines of the result go (one object per line)
--   SPCS_EXPECT       `diagnostics` (wait until the buffer has diagnostics, then ask hover and
--                     completion) or `none` (wait until the server has published for the buffer)
--   SPCS_NODE         optional: the node binary (default `node`)
-- Exits 0 after writing `{"type":"done"}`; exits non-zero (and writes `{"type":"error",…}`) when
-- the server does not start, nothing arrives within 20 s, or a request fails.

local timeout_ms = 20000

local server = os.getenv('SPCS_SERVER')
local file = os.getenv('SPCS_FILE')
local result_file = os.getenv('SPCS_RESULT_FILE')
local expect = os.getenv('SPCS_EXPECT') or 'diagnostics'
local node = os.getenv('SPCS_NODE') or 'node'

local out = result_file and io.open(result_file, 'w') or nil

local function emit(object)
  local line = vim.fn.json_encode(object)
  if out then
    out:write(line, '\n')
    out:flush()
  end
  io.stdout:write(line, '\n')
end

local client_id

local function finish(code)
  if client_id then
    vim.lsp.stop_client(client_id)
    vim.wait(3000, function()
      return vim.lsp.client_is_stopped(client_id)
    end, 50)
  end
  if out then
    out:close()
    out = nil
  end
  if code == 0 then
    vim.cmd('qa!')
  else
    vim.cmd('cquit ' .. code)
  end
end

local function fail(message)
  emit({ type = 'error', message = message })
  finish(1)
end

if not server or not file then
  fail('SPCS_SERVER and SPCS_FILE must be set')
  return
end

-- Record every publishDiagnostics (also the empty ones) before handing it to Neovim's own handler.
local published = {}
local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  if result and result.uri then
    published[result.uri] = (published[result.uri] or 0) + 1
  end
  return default_publish(err, result, ctx, config)
end

local exited
client_id = vim.lsp.start_client({
  name = 'spcs',
  cmd = { node, server, '--stdio' },
  root_dir = vim.fn.fnamemodify(file, ':p:h'),
  -- Answered to the server's workspace/configuration pull (section `spcs`).
  settings = { spcs = { instanceFamily = '' } },
  on_exit = function(code, signal)
    exited = string.format('server exited (code %s, signal %s)', tostring(code), tostring(signal))
  end,
})
if not client_id then
  fail('vim.lsp.start_client failed for ' .. server)
  return
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = 'yaml'
if not vim.lsp.buf_attach_client(buf, client_id) then
  fail('vim.lsp.buf_attach_client failed')
  return
end
local uri = vim.uri_from_bufnr(buf)

local arrived
if expect == 'none' then
  arrived = vim.wait(timeout_ms, function()
    return exited ~= nil or (published[uri] or 0) > 0
  end, 50)
else
  arrived = vim.wait(timeout_ms, function()
    return exited ~= nil or #vim.diagnostic.get(buf) > 0
  end, 50)
end
if exited then
  fail(exited)
  return
end
if not arrived then
  fail(string.format('timed out after %d ms waiting for %s (publishes seen for %s: %d)', timeout_ms,
    expect == 'none' and 'a publishDiagnostics' or 'diagnostics', uri, published[uri] or 0))
  return
end

emit({ type = 'published', uri = uri, count = published[uri] or 0 })
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  emit({
    type = 'diagnostic',
    code = d.code or lsp.code or vim.NIL,
    source = d.source or lsp.source or vim.NIL,
    href = (lsp.codeDescription and lsp.codeDescription.href) or vim.NIL,
    severity = d.severity,
    line = d.lnum,
    col = d.col,
    message = d.message,
  })
end

if expect ~= 'none' then
  -- Hover on the first `image` key and completion inside it (as if `im` had just been typed).
  local hover_line, hover_col
  for index, text in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = text:find('image:', 1, true)
    if col then
      hover_line, hover_col = index - 1, col - 1
      break
    end
  end
  if not hover_line then
    fail('the spec has no `image:` key to hover')
    return
  end
  local text_document = { uri = uri }
  local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover',
    { textDocument = text_document, position = { line = hover_line, character = hover_col + 1 } }, 10000)
  local hover_result = hover and hover[client_id] or {}
  if hover_result.err then
    fail('hover failed: ' .. vim.inspect(hover_result.err))
    return
  end
  local contents = hover_result.result and hover_result.result.contents
  emit({
    type = 'hover',
    line = hover_line,
    kind = type(contents) == 'table' and contents.kind or vim.NIL,
    length = type(contents) == 'table' and type(contents.value) == 'string' and #contents.value or 0,
  })

  local completion = vim.lsp.buf_request_sync(buf, 'textDocument/completion',
    { textDocument = text_document, position = { line = hover_line, character = hover_col + 2 } }, 10000)
  local completion_result = completion and completion[client_id] or {}
  if completion_result.err then
    fail('completion failed: ' .. vim.inspect(completion_result.err))
    return
  end
  local items = completion_result.result or {}
  if items.items then
    items = items.items
  end
  local labels = {}
  for _, item in ipairs(items) do
    table.insert(labels, item.label)
  end
  emit({ type = 'completion', line = hover_line, count = #items, labels = labels })
end

emit({ type = 'done' })
finish(0)
