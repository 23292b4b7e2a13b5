// ltpgap ribbon buttons (see templates/manifest.xml): each runs one of ltpgap's scripts, as
// the task pane buttons do, sending only the sheets the script declares (@script include=).
let scriptsMeta = null;

async function ltpgapInclude(scriptName) {
  if (scriptsMeta === null) {
    const url =
      window.location.origin + config.appPath + "/xlwings/custom-scripts-meta.json";
    scriptsMeta = await (await fetch(url)).json();
  }
  const meta = scriptsMeta.find((m) => m.function_name === scriptName);
  return meta && meta.include ? meta.include : "";
}

async function ltpgapRun(scriptName, event) {
  try {
    const authResult =
      typeof globalThis.getAuth === "function"
        ? await globalThis.getAuth()
        : { token: "", provider: "" };
    await xlwings.runPython({
      auth: authResult.token,
      scriptName: scriptName,
      include: await ltpgapInclude(scriptName),
      headers: { "Auth-Provider": authResult.provider },
    });
  } finally {
    event.completed();
  }
}

Office.actions.associate("ltpgap-recompute", (event) => ltpgapRun("recompute", event));
Office.actions.associate("ltpgap-check", (event) => ltpgapRun("check", event));
Office.actions.associate("ltpgap-push", (event) => ltpgapRun("push_catalogue", event));
