"""`sparkc lsp` in real editors, set up exactly as README.md's "Editors" section says
(its snippets are read from the README, not copied here): Neovim's own client headless,
Emacs' eglot in batch mode with Debian's elpa-eglot and elpa-yaml-mode, Helix's
languages.toml, and the VS Code extension in editors/vscode. Each drives the server as
its user would: open a job (found on PATH as `sparkc`), read the diagnostics, hover a
spark_conf key and executor_resources, complete in spark_conf, apply a quick fix through
the editor's own code-action command, type non-ASCII text fast, open a CRLF file, a job
below a .sparkc.yaml in a subdirectory, close and reopen, save, and stop the server.
What the editor shows is compared with `sparkc validate --format json` of the buffer's
text and `sparkc explain --format json`.

A check whose editor is not installed is skipped with a line saying so (CI installs
them: tools/install-deps.sh test). Helix is not in Debian 12: its languages.toml is
checked for the keys Helix reads, and `hx --health` runs where hx is installed.

Called from tests/run.py: jobs(sanitized, result)."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import tomllib

import lsp
from lsp import ENV, JOB, ROOT, SANITIZER, validate

README = os.path.join(ROOT, "README.md")


def readme_blocks(lang):
    """The README's ```lang blocks in its "Editors" section, in order."""
    text = open(README, encoding="utf-8").read()
    section = text[text.index("\n## Editors"):]
    section = section[:section.index("\n## ", 1)]
    return re.findall(rf"^```{lang}\n(.*?)^```$", section, re.M | re.S)


def user_home(tmp, sparkc):
    """A fresh user's environment: HOME in tmp, `sparkc` on PATH (the server under test)."""
    bin_dir = os.path.join(tmp, "bin")
    os.makedirs(bin_dir)
    os.symlink(sparkc, os.path.join(bin_dir, "sparkc"))
    env = dict(ENV, HOME=tmp, PATH=bin_dir + os.pathsep + os.environ["PATH"],
               XDG_CONFIG_HOME=os.path.join(tmp, ".config"), XDG_CACHE_HOME=os.path.join(tmp, ".cache"),
               XDG_STATE_HOME=os.path.join(tmp, ".state"), XDG_DATA_HOME=os.path.join(tmp, ".data"))
    env.pop("VIMINIT", None)
    env.pop("EMACSLOADPATH", None)
    return env


def repository(tmp):
    """A repository of jobs: jobs/job.yaml (three diagnostics), jobs/crlf.yaml (the same,
    with CRLF line ends), jobs/sub/job.yaml below a .sparkc.yaml that turns executor-cores
    off."""
    jobs = os.path.join(tmp, "repo", "jobs")
    os.makedirs(os.path.join(jobs, "sub"))
    os.makedirs(os.path.join(tmp, "repo", ".git"))
    for name, text in (("job.yaml", JOB), ("crlf.yaml", JOB.replace("\n", "\r\n")), ("sub/job.yaml", JOB),
                       ("sub/.sparkc.yaml", "rules: {executor-cores: 'off'}\n")):
        with open(os.path.join(jobs, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)
    return jobs


def validate_text(sparkc, path, text):
    """validate's records for text as the file path (written there)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return validate(sparkc, path)


def char_to_byte_col(text, line, col):
    """validate's 1-based line and character column -> 0-based line and byte column."""
    row = re.split("\r\n|\n", text)[line - 1]
    return [line - 1, len(row[:col - 1].encode())]


def executor_pod_mib(sparkc, tmp):
    """explain's executor pod memory for JOB with its typo fixed (explain sizes valid jobs)."""
    path = os.path.join(tmp, "explained.yaml")
    with open(path, "w") as f:
        f.write(JOB.replace("replica:", "replicas:"))
    pod = json.loads(subprocess.run([sparkc, "explain", "--format", "json", path], capture_output=True,
                                    env=ENV).stdout)
    return pod["executor"]["podMemoryMiB"]


def conf_entry(key, version="3.5.5"):
    """The registry's text of a spark_conf key for a Spark version (schemas/spark-config.tsv)."""
    return next(r[12] for r in lsp.registry_rows() if r[0] == key and lsp.reads(r, version))


def skip(what, binary, where="tools/install-deps.sh test installs it"):
    if shutil.which(binary):
        return False
    print(f"skip lsp_editors: {what} ({binary} is not installed; {where})")
    return True


# ---- Neovim ------------------------------------------------------------------------------

NEOVIM = r"""
-- Drives Neovim's own LSP client (set up by the README's init.lua) as its user would;
-- written for 0.7 and what later releases renamed.
vim.lsp.set_log_level("info")
local out = {}
local function diags(buf)
  local t = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local covered = vim.api.nvim_buf_get_text(buf, d.lnum, d.col, d.end_lnum, d.end_col, {})
    table.insert(t, { d.lnum, d.col, d.user_data.lsp.code, table.concat(covered, "\n"), d.message })
  end
  table.sort(t, function(a, b) return a[1] < b[1] or (a[1] == b[1] and a[2] < b[2]) end)
  return t
end
local function text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") .. "\n"
end
-- the diagnostics of the buffer's text as it is now: wait until the server has published
-- for the buffer's version, and a little more
local function settle(buf)
  local want = vim.api.nvim_buf_get_changedtick(buf)   -- the version Neovim sends
  vim.wait(10000, function() return published[buf] == want end, 10)
  vim.wait(200, function() return false end, 10)
end
published = {}
local default = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  default(err, result, ctx, config)
  published[vim.uri_to_bufnr(result.uri)] = result.version
end
local function request(buf, method, params)
  for _, r in pairs(vim.lsp.buf_request_sync(buf, method, params, 20000) or {}) do return r.result end
end
local function key(keys)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(keys, true, false, true), "xt", false)
end

vim.cmd("edit jobs/job.yaml")
local buf = vim.api.nvim_get_current_buf()
vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 10)
local clients = (vim.lsp.get_clients or vim.lsp.get_active_clients)()   -- 0.10 renamed it
out.clients = #clients
out.opened = diags(buf)
-- hover, at the cursor, on a spark_conf key and on executor_resources
vim.api.nvim_win_set_cursor(0, { 11, 10 })
out.hover_conf = (request(buf, "textDocument/hover", vim.lsp.util.make_position_params()) or {}).contents
vim.api.nvim_win_set_cursor(0, { 8, 5 })
out.hover_executor = (request(buf, "textDocument/hover", vim.lsp.util.make_position_params()) or {}).contents
-- completion while typing a spark_conf key
vim.api.nvim_buf_set_lines(buf, 12, 12, false, { "    spark.sql.adaptive.en" })
vim.api.nvim_win_set_cursor(0, { 13, 25 })
local items = request(buf, "textDocument/completion", vim.lsp.util.make_position_params()) or {}
out.completion = {}
for _, item in ipairs(items.items or items) do table.insert(out.completion, item.label) end
vim.api.nvim_buf_set_lines(buf, 12, 13, false, {})
-- a spec key, as Neovim's own completion (the omnifunc) would insert each item: a line
-- break in an item's text would go in as a NUL
vim.api.nvim_buf_set_lines(buf, 7, 7, false, { "  en" })
vim.api.nvim_win_set_cursor(0, { 8, 4 })
local keys = request(buf, "textDocument/completion", vim.lsp.util.make_position_params()) or {}
local convert = vim.lsp.util.text_document_completion_list_to_complete_items
out.spec_words = {}
for _, item in ipairs(convert and convert(keys, "en") or {}) do table.insert(out.spec_words, item.word) end
vim.api.nvim_buf_set_lines(buf, 7, 8, false, {})
-- the quick fix, chosen from vim.lsp.buf.code_action's menu
vim.api.nvim_win_set_cursor(0, { 7, 3 })
out.offered = {}
vim.ui.select = function(choices, opts, on_choice)
  for _, c in ipairs(choices) do table.insert(out.offered, (opts.format_item(c))) end
  for _, c in ipairs(choices) do
    if (c.action or c[2]).title == "Change to 'replicas'" then return on_choice(c) end   -- 0.10: {action, ctx}
  end
  on_choice(nil)
end
vim.lsp.buf.code_action()
vim.wait(10000, function() return vim.api.nvim_buf_get_lines(buf, 6, 7, false)[1] ~= "  replica: 2" end, 10)
settle(buf)
out.fixed = { text = text(buf), diagnostics = diags(buf) }
-- fast typing of non-ASCII text: a comment, a label value, then typing and deleting
vim.api.nvim_win_set_cursor(0, { 3, 0 })
key("A  # 日本語 😀 café 漢字<Esc>")
vim.api.nvim_buf_set_lines(buf, 2, 2, false, { "  labels: {team: \"😀😀漢\", bad key: x}" })
local burst = ""
for _ = 1, 100 do burst = burst .. "ix<Esc>x" end
vim.api.nvim_win_set_cursor(0, { 5, 0 })
key(burst)
settle(buf)
out.typed = { text = text(buf), diagnostics = diags(buf) }
vim.cmd("write")
settle(buf)
out.saved = diags(buf)
-- a CRLF file, edited
vim.cmd("edit jobs/crlf.yaml")
local crlf = vim.api.nvim_get_current_buf()
out.fileformat = vim.bo.fileformat
vim.wait(20000, function() return #vim.diagnostic.get(crlf) > 0 end, 10)
vim.api.nvim_win_set_cursor(0, { 3, 0 })
key("A # é😀<Esc>")
settle(crlf)
out.crlf = { text = text(crlf), diagnostics = diags(crlf) }
-- a job below a .sparkc.yaml in a subdirectory; closed, then opened again
vim.cmd("edit jobs/sub/job.yaml")
local sub = vim.api.nvim_get_current_buf()
vim.wait(20000, function() return #vim.diagnostic.get(sub) > 0 end, 10)
out.sub = diags(sub)
vim.cmd("bwipeout " .. sub)
vim.cmd("edit jobs/sub/job.yaml")
sub = vim.api.nvim_get_current_buf()
vim.wait(20000, function() return #vim.diagnostic.get(sub) > 0 end, 10)
out.reopened = diags(sub)
-- its .sparkc.yaml edited and written: the job is checked again under it
vim.cmd("split jobs/sub/.sparkc.yaml")
vim.api.nvim_buf_set_lines(0, 0, -1, false, { "rules: {}" })
vim.cmd("write")
vim.wait(20000, function() return #vim.diagnostic.get(sub) > #out.reopened end, 10)
out.config_saved = diags(sub)
local client = clients[1]
vim.lsp.stop_client(client.id)
out.stopped = vim.wait(20000, function() return vim.lsp.get_client_by_id(client.id) == nil end, 20)
vim.fn.writefile({ vim.fn.json_encode(out) }, "result.json")
vim.cmd("qa!")
"""


def neovim_version():
    out = subprocess.run(["nvim", "--version"], capture_output=True, text=True).stdout
    m = re.search(r"NVIM v(\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def same_diagnostics(sparkc, path, text, shown):
    """Whether what Neovim shows (line, byte column, code, text covered, message) is what
    validate reports for text: the same starts, rules and messages, each covering text."""
    want = sorted([*char_to_byte_col(text, r["line"], r["column"]), r["rule"], f"{r['path']}: {r['message']}"]
                  for r in validate_text(sparkc, path, text))
    got = sorted([d[0], d[1], d[2], d[4]] for d in shown)
    return got == want and all(d[3] and "\n" not in d[3] for d in shown), f"want {want}\ngot  {got}"


def check_neovim(sparkc, result):
    if skip("Neovim", "nvim"):
        return
    version = neovim_version()
    snippets = readme_blocks("lua")
    # the README's set-up for this Neovim: vim.lsp.start from 0.8, start_client on 0.7
    init = snippets[0] if version >= (0, 8) else snippets[1]
    with tempfile.TemporaryDirectory() as tmp:
        env = user_home(tmp, sparkc)
        jobs = repository(tmp)
        os.makedirs(os.path.join(tmp, ".config", "nvim"))
        with open(os.path.join(tmp, ".config", "nvim", "init.lua"), "w") as f:
            f.write(init)
        with open(os.path.join(tmp, "drive.lua"), "w") as f:
            f.write(NEOVIM)
        p = subprocess.run(["nvim", "--headless", "-i", "NONE", "-c", "luafile " + os.path.join(tmp, "drive.lua")],
                           cwd=os.path.join(tmp, "repo"), capture_output=True, text=True, timeout=300, env=env)
        try:
            got = json.load(open(os.path.join(tmp, "repo", "result.json")))
        except (OSError, ValueError):
            result(f"lsp_editors: Neovim {version[0]}.{version[1]} with the README's set-up", False,
                   p.stdout + p.stderr)
            return
        log = ""
        for d in (".cache", ".state"):
            for root, _, files in os.walk(os.path.join(tmp, d)):
                log += "".join(open(os.path.join(root, f), errors="replace").read() for f in files if f == "lsp.log")
        job = os.path.join(jobs, "job.yaml")
        checks = {}
        checks["the README's init.lua starts one client"] = (got["clients"] == 1, got["clients"])
        checks["diagnostics on open equal validate's"] = same_diagnostics(sparkc, job, JOB, got["opened"])
        conf = (got.get("hover_conf") or {}).get("value", "")
        checks["hover on a spark_conf key: the registry's text and the job's Spark"] = (
            conf_entry("spark.executor.memoryOverhead") in conf and "This job runs Spark 3.5.5" in conf, conf)
        executor = (got.get("hover_executor") or {}).get("value", "")
        checks["hover on executor_resources: explain's pod memory"] = (
            f"**{executor_pod_mib(sparkc, tmp)} MiB**" in executor, executor)
        checks["completion in spark_conf: Spark 3.5.5's keys"] = (
            "spark.sql.adaptive.enabled" in got["completion"] and len(got["completion"]) > 500,
            got["completion"][:10])
        checks["completing a key whose value goes below inserts it alone (the omnifunc makes a line break a NUL)"] = (
            "env:" in got["spec_words"] and not any("\n" in w for w in got["spec_words"]),
            got["spec_words"])
        fixed = got["fixed"]
        checks["vim.lsp.buf.code_action applies the did-you-mean fix, then the rest is validate's"] = (
            "Change to 'replicas'" in got["offered"] and "  replicas: 2\n" in fixed["text"] and
            same_diagnostics(sparkc, job, fixed["text"], fixed["diagnostics"])[0],
            f"{got['offered']}\n{same_diagnostics(sparkc, job, fixed['text'], fixed['diagnostics'])[1]}")
        typed = got["typed"]
        covered = {d[2]: d[3] for d in typed["diagnostics"]}
        checks["after fast typing of emoji and CJK, validate's diagnostics, each range on its key or value"] = (
            "😀😀漢" in typed["text"] and
            covered == {"label-value": '"😀😀漢"', "label-key": "bad key", "executor-cores": "3",
                        "conf-deprecated": "spark.io.compression.lz4.block.size"} and
            same_diagnostics(sparkc, job, typed["text"], typed["diagnostics"])[0],
            f"{covered}\n{same_diagnostics(sparkc, job, typed['text'], typed['diagnostics'])[1]}")
        checks["saving keeps them"] = (got["saved"] == typed["diagnostics"], got["saved"])
        crlf = got["crlf"]
        checks["a CRLF file (fileformat=dos), edited: validate's diagnostics"] = (
            got["fileformat"] == "dos" and
            same_diagnostics(sparkc, os.path.join(jobs, "crlf.yaml"), crlf["text"].replace("\n", "\r\n"),
                             crlf["diagnostics"])[0], f"{got['fileformat']} {crlf}")
        sub = os.path.join(jobs, "sub", "job.yaml")
        config = os.path.join(jobs, "sub", ".sparkc.yaml")
        saved_config = open(config).read()
        with open(config, "w") as f:    # as it was when the job was opened
            f.write("rules: {executor-cores: 'off'}\n")
        checks["a .sparkc.yaml in a subdirectory applies to the job below it"] = (
            "executor-cores" not in {d[2] for d in got["sub"]} and same_diagnostics(sparkc, sub, JOB, got["sub"])[0],
            got["sub"])
        checks["closed and opened again: diagnostics again"] = (got["reopened"] == got["sub"], got["reopened"])
        with open(config, "w") as f:
            f.write(saved_config)
        checks["the .sparkc.yaml edited and written: the job is checked again under it"] = (
            saved_config == "rules: {}\n" and same_diagnostics(sparkc, sub, JOB, got["config_saved"])[0] and
            "executor-cores" in {d[2] for d in got["config_saved"]}, got["config_saved"])
        checks["stop_client ends the server through shutdown and exit, nothing on its stderr"] = (
            got["stopped"] and not any(s in log for s in SANITIZER) and "ERROR" not in log, log[-2000:])
        for name, (ok, detail) in checks.items():
            result(f"lsp_editors: Neovim {version[0]}.{version[1]}, README set-up: {name}", ok,
                   f"{detail}\n{p.stderr[-1000:]}")


# ---- Emacs eglot -----------------------------------------------------------------------------

EGLOT = r"""
;; Drives Emacs' eglot (set up by the README's lines, loaded first) as its user would.
(require 'json)
(defvar root default-directory "The repository, where Emacs started.")
(setq project-find-functions (list (lambda (dir) (cons 'transient dir))))
(defun wait-for (test &optional seconds)
  (let ((deadline (+ (float-time) (or seconds 30))))
    (while (and (not (funcall test)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall test)))
(defun diagnostics ()
  (sort (mapcar (lambda (d)
                  (let ((beg (flymake-diagnostic-beg d)))
                    (list (1- (line-number-at-pos beg))
                          (- beg (save-excursion (goto-char beg) (line-beginning-position)))
                          (buffer-substring-no-properties beg (flymake-diagnostic-end d))
                          (flymake-diagnostic-text d))))
                (flymake-diagnostics))
        (lambda (a b) (or (< (car a) (car b)) (and (= (car a) (car b)) (< (cadr a) (cadr b)))))))
(defun visit (file)
  "Visit FILE as a user does: the command loop runs its hooks (eglot-ensure) after it."
  (find-file (expand-file-name file root))
  (run-hooks 'post-command-hook)
  (wait-for (lambda () (eglot-current-server)))
  (flymake-start)
  (wait-for (lambda () (flymake-diagnostics))))
(defvar published nil "The version of the last diagnostics the server published.")
(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest params)
              (when (eq method 'textDocument/publishDiagnostics)
                (setq published (plist-get params :version)))))
(defun changed ()
  "What eglot's idle timer does in an interactive Emacs; then wait for the diagnostics
of the buffer's text as it is now."
  (eglot--signal-textDocument/didChange)
  (wait-for (lambda () (equal published eglot--versioned-identifier)))
  (wait-for (lambda () nil) 0.2))
(defun hover-at (line column)
  (goto-char (point-min)) (forward-line line) (forward-char column)
  (plist-get (plist-get (jsonrpc-request (eglot-current-server) :textDocument/hover
                                         (eglot--TextDocumentPositionParams))
                        :contents)
             :value))
(let ((result nil))
  (visit "jobs/job.yaml")
  (push (cons 'mode (symbol-name major-mode)) result)
  (push (cons 'opened (vconcat (diagnostics))) result)
  (push (cons 'hover_conf (hover-at 10 8)) result)
  (push (cons 'hover_executor (hover-at 7 4)) result)
  ;; completion at point while typing a spark_conf key
  (goto-char (point-min)) (forward-line 12) (insert "    spark.sql.adaptive.en") (changed)
  (push (cons 'completion (vconcat (all-completions "spark.sql.adaptive.en"
                                                    (nth 2 (eglot-completion-at-point)))))
        result)
  (delete-region (line-beginning-position) (point-max)) (changed)
  ;; the quick fix, chosen from M-x eglot-code-actions' prompt
  (goto-char (point-min)) (search-forward "replica:") (backward-char 3)
  (let ((last-nonmenu-event 13))
    (cl-letf (((symbol-function 'completing-read)
               (lambda (_prompt items &rest _)
                 (push (cons 'offered (vconcat (mapcar #'car items))) result)
                 "Change to 'replicas'")))
      (eglot-code-actions (point) nil nil t)))
  (changed)
  (push (cons 'fixed (list (cons 'text (buffer-string)) (cons 'diagnostics (vconcat (diagnostics))))) result)
  ;; non-ASCII typed a character at a time
  (goto-char (point-min)) (forward-line 2) (end-of-line)
  (dolist (c (string-to-list "  # 日本語 😀 café 漢字")) (insert c) (eglot--signal-textDocument/didChange))
  (goto-char (point-min)) (forward-line 2)
  (dolist (c (string-to-list "  labels: {team: \"😀😀漢\", bad key: x}\n"))
    (insert c) (eglot--signal-textDocument/didChange))
  (changed)
  (push (cons 'typed (list (cons 'text (buffer-string)) (cons 'diagnostics (vconcat (diagnostics))))) result)
  (save-buffer)
  (kill-buffer)
  ;; a CRLF file
  (visit "jobs/crlf.yaml")
  (push (cons 'coding (symbol-name buffer-file-coding-system)) result)
  (push (cons 'crlf (vconcat (diagnostics))) result)
  (kill-buffer)
  ;; a job below a .sparkc.yaml in a subdirectory, closed and opened again
  (visit "jobs/sub/job.yaml")
  (push (cons 'sub (vconcat (diagnostics))) result)
  (kill-buffer)
  (visit "jobs/sub/job.yaml")
  (push (cons 'reopened (vconcat (diagnostics))) result)
  (let ((server (eglot-current-server)))
    (push (cons 'stderr (with-current-buffer (jsonrpc-stderr-buffer server) (buffer-string))) result)
    (eglot-shutdown server))
  (with-temp-file (expand-file-name "result.json" root) (insert (json-encode result))))
"""


def same_lines(sparkc, path, text, shown):
    """Whether what flymake shows (line, column, text covered, "sparkc [RULE]: message")
    is what validate reports for text."""
    want = sorted([r["line"] - 1, r["column"] - 1, f"sparkc [{r['rule']}]: {r['path']}: {r['message']}"]
                  for r in validate_text(sparkc, path, text))
    got = sorted([d[0], d[1], d[3]] for d in shown)
    return got == want and all(d[2] for d in shown), f"want {want}\ngot  {got}"


def check_eglot(sparkc, result):
    if skip("Emacs' eglot", "emacs"):
        return
    elisp = readme_blocks("elisp")
    with tempfile.TemporaryDirectory() as tmp:
        env = user_home(tmp, sparkc)
        jobs = repository(tmp)
        # the README's lines as the user's init file; the hook the README names with them
        hook = re.search(r"`(\(add-hook 'yaml-mode-hook #'eglot-ensure\))`", open(README).read()).group(1)
        os.makedirs(os.path.join(tmp, ".emacs.d"))
        with open(os.path.join(tmp, ".emacs.d", "init.el"), "w") as f:
            f.write(elisp[0] + hook + "\n")
        with open(os.path.join(tmp, "drive.el"), "w") as f:
            f.write(EGLOT)
        # an interactive Emacs activates the installed packages and reads init.el at start
        p = subprocess.run(["emacs", "--batch", "-f", "package-activate-all", "-l", os.path.join(tmp, ".emacs.d",
                                                                                                    "init.el"),
                            "-l", os.path.join(tmp, "drive.el")], cwd=os.path.join(tmp, "repo"),
                           capture_output=True, text=True, timeout=300, env=env)
        try:
            got = json.load(open(os.path.join(tmp, "repo", "result.json")))
        except (OSError, ValueError):
            result("lsp_editors: Emacs' eglot with the README's set-up", False, p.stdout + p.stderr[-3000:])
            return
        job = os.path.join(jobs, "job.yaml")
        checks = {}
        checks["yaml-mode files start sparkc lsp; diagnostics on open equal validate's"] = (
            got["mode"] == "yaml-mode" and same_lines(sparkc, job, JOB, got["opened"])[0],
            f"{got['mode']} {same_lines(sparkc, job, JOB, got['opened'])[1]}")
        conf = got.get("hover_conf") or ""
        checks["hover on a spark_conf key: the registry's text and the job's Spark"] = (
            conf_entry("spark.executor.memoryOverhead") in conf and "This job runs Spark 3.5.5" in conf, conf)
        checks["hover on executor_resources: explain's pod memory"] = (
            f"**{executor_pod_mib(sparkc, tmp)} MiB**" in (got.get("hover_executor") or ""), got.get("hover_executor"))
        checks["completion at point in spark_conf"] = ("spark.sql.adaptive.enabled" in got["completion"],
                                                       got["completion"])
        fixed = got["fixed"]
        checks["eglot-code-actions applies the did-you-mean fix, then the rest is validate's"] = (
            got["offered"] == ["Change to 'replicas'"] and "  replicas: 2\n" in fixed["text"] and
            same_lines(sparkc, job, fixed["text"], fixed["diagnostics"])[0],
            f"{got['offered']}\n{same_lines(sparkc, job, fixed['text'], fixed['diagnostics'])[1]}")
        typed = got["typed"]
        checks["emoji and CJK typed a character at a time: validate's diagnostics at the right columns"] = (
            "😀😀漢" in typed["text"] and same_lines(sparkc, job, typed["text"], typed["diagnostics"])[0],
            same_lines(sparkc, job, typed["text"], typed["diagnostics"])[1])
        checks["a CRLF file: validate's diagnostics"] = (
            got["coding"].endswith("-dos") and same_lines(sparkc, os.path.join(jobs, "crlf.yaml"),
                                                          JOB.replace("\n", "\r\n"), got["crlf"])[0],
            f"{got['coding']} {got['crlf']}")
        sub = os.path.join(jobs, "sub", "job.yaml")
        checks["a .sparkc.yaml in a subdirectory applies; closed and opened again"] = (
            same_lines(sparkc, sub, JOB, got["sub"])[0] and got["reopened"] == got["sub"] and
            not any("executor-cores" in d[3] for d in got["sub"]), f"{got['sub']}\n{got['reopened']}")
        checks["nothing on the server's stderr; eglot-shutdown ends it"] = (
            not any(s in got["stderr"] for s in SANITIZER) and "Debugger entered" not in p.stderr,
            got["stderr"][-2000:] + p.stderr[-2000:])
        for name, (ok, detail) in checks.items():
            result(f"lsp_editors: Emacs eglot, README set-up: {name}", ok, str(detail))


# ---- Helix -------------------------------------------------------------------------------------

def check_helix(sparkc, result):
    """The README's languages.toml is TOML with the keys Helix (23.10 and later) reads: a
    language server `sparkc` running `sparkc lsp`, added to yaml's servers beside
    yaml-language-server. Where hx is installed, `hx --health yaml` finds it."""
    block = readme_blocks("toml")[0]
    try:
        conf = tomllib.loads(block)
    except tomllib.TOMLDecodeError as e:
        result("lsp_editors: Helix: the README's languages.toml is TOML", False, f"{e}\n{block}")
        return
    server = conf.get("language-server", {}).get("sparkc", {})
    yaml = [lang for lang in conf.get("language", []) if lang.get("name") == "yaml"]
    result("lsp_editors: Helix: the README's languages.toml runs `sparkc lsp` for yaml beside yaml-language-server",
           server == {"command": "sparkc", "args": ["lsp"]} and len(yaml) == 1 and
           yaml[0].get("language-servers") == ["yaml-language-server", "sparkc"], json.dumps(conf))
    if skip("Helix's hx --health", "hx", "Debian 12 has no package of it"):
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = user_home(tmp, sparkc)
        os.makedirs(os.path.join(tmp, ".config", "helix"))
        with open(os.path.join(tmp, ".config", "helix", "languages.toml"), "w") as f:
            f.write(block)
        p = subprocess.run(["hx", "--health", "yaml"], capture_output=True, text=True, env=env, timeout=60)
    result("lsp_editors: Helix: hx --health yaml finds sparkc", re.search(r"sparkc: /", p.stdout), p.stdout)


# ---- VS Code -----------------------------------------------------------------------------------

VSCODE_STUB = """
const read = [];
module.exports = {
  read,
  workspace: {
    getConfiguration: (section) => ({
      get: (key, fallback) => {
        read.push([section + "." + key, fallback]);
        const v = JSON.parse(process.env.SETTINGS)[section + "." + key];
        return v === undefined ? fallback : v;
      },
    }),
    createFileSystemWatcher: (glob) => ({ glob }),
  },
};
"""
CLIENT_STUB = """
class LanguageClient {
  constructor(id, name, server, options) {
    Object.assign(this, { id, name, server, options });
    module.exports.made = this;
  }
  start() { return Promise.resolve(); }
  stop() { return Promise.resolve(); }
}
module.exports = { LanguageClient };
"""
ACTIVATE = """
const ext = require("./extension.js");
const context = { subscriptions: [] };
ext.activate(context).then(() => {
  const c = require("vscode-languageclient/node").made;
  const stopped = ext.deactivate();
  console.log(JSON.stringify({ id: c.id, server: c.server, options: c.options, read: require("vscode").read,
                               subscribed: context.subscriptions.length,
                               deactivate: typeof (stopped && stopped.then) }));
});
"""


def check_vscode(sparkc, result):
    """editors/vscode as far as it can be checked without VS Code: package.json has what
    VS Code and vsce require of an extension (engines.vscode matching the language
    client's, an activation event, main present, each setting typed with its default);
    run by node with stand-ins for VS Code's modules, extension.js starts
    `<sparkc.path> lsp <sparkc.args...>` for YAML files on disk and unsaved, passes
    sparkc.debounce, watches .sparkc.yaml, and reads no setting package.json does not
    declare."""
    del sparkc
    ext = os.path.join(ROOT, "editors", "vscode")
    pkg = json.load(open(os.path.join(ext, "package.json")))
    declared = pkg["contributes"]["configuration"]["properties"]
    json_type = {"string": str, "array": list, "integer": int, "boolean": bool}
    manifest_ok = (re.fullmatch(r"[a-z0-9][a-z0-9-]*", pkg["name"]) and pkg.get("publisher") and
                   re.fullmatch(r"\d+\.\d+\.\d+", pkg["version"]) and
                   os.path.exists(os.path.join(ext, pkg["main"])) and pkg["activationEvents"] == ["onLanguage:yaml"] and
                   pkg["engines"]["vscode"] == "^1.82.0" and
                   # vscode-languageclient 9 needs VS Code 1.82 (its own engines field)
                   re.fullmatch(r"\^9\.\d+\.\d+", pkg["dependencies"]["vscode-languageclient"]) and
                   all(isinstance(p["default"], json_type[p["type"]]) and p.get("description")
                       for p in declared.values()))
    result("lsp_editors: VS Code: package.json declares what VS Code and vsce require", bool(manifest_ok),
           json.dumps(pkg, indent=1))
    if skip("the VS Code extension run by node", "node"):
        return
    with tempfile.TemporaryDirectory() as tmp:
        for path, text in (("node_modules/vscode/index.js", VSCODE_STUB),
                           ("node_modules/vscode-languageclient/node.js", CLIENT_STUB),
                           ("activate.js", ACTIVATE), ("extension.js", open(os.path.join(ext, "extension.js")).read())):
            os.makedirs(os.path.dirname(os.path.join(tmp, path)), exist_ok=True)
            with open(os.path.join(tmp, path), "w") as f:
                f.write(text)
        p = subprocess.run(["node", "activate.js"], cwd=tmp, capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, SETTINGS=json.dumps({"sparkc.path": "/opt/bin/sparkc",
                                                                     "sparkc.args": ["--templates", "t"]})))
    try:
        got = json.loads(p.stdout)
    except ValueError:
        result("lsp_editors: VS Code: the extension starts sparkc lsp", False, p.stdout + p.stderr)
        return
    opts = got["options"]
    ok = (got["server"] == {"command": "/opt/bin/sparkc", "args": ["lsp", "--templates", "t"]} and
          opts["documentSelector"] == [{"scheme": "file", "language": "yaml", "pattern": "**/*.{yaml,yml}"},
                                       {"scheme": "untitled", "language": "yaml"}] and
          opts["initializationOptions"] == {"debounce": 150} and
          opts["synchronize"]["fileEvents"] == {"glob": "**/.sparkc.yaml"} and got["subscribed"] == 1 and
          got["deactivate"] == "function" and
          all(key in declared and declared[key]["default"] == fallback for key, fallback in got["read"]))
    result("lsp_editors: VS Code: the extension starts `sparkc lsp` with its settings for saved and unsaved YAML",
           ok, json.dumps(got, indent=1))


def jobs(sanitized, result):
    """The checks, each a (function, args...) for tests/run.py's pool."""
    return [(check, sanitized, result) for check in (check_neovim, check_eglot, check_helix, check_vscode)]
