// ltpgap: the token sent with every script call. Entra ID single sign-on when the server
// uses the "entraid" provider, otherwise the personal token typed into the task pane
// (kept in sessionStorage: gone when Excel closes).
globalThis.getAuth = async function () {
  if (config.authProviders.includes("entraid")) {
    const token = await xlwings.getAccessToken();
    return { token: token, provider: "entraid" };
  }
  const token = sessionStorage.getItem("ltpgap-token") || "";
  return {
    token: token ? "Bearer " + token : "",
    provider: config.authProviders[0] || "",
  };
};
