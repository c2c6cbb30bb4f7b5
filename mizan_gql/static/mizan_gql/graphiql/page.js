// The GraphiQL page of mizan_gql (templates/mizan_gql/graphiql.html): GraphiQL with the
// explorer plugin, talking to the page's own URL. Loaded as a file, never inline, so the page
// works under a Content-Security-Policy of default-src 'self'.
(function () {
  "use strict";

  var root = document.getElementById("graphiql");
  var EXAMPLE_QUERY =
    "# Welcome to GraphiQL\n#\n# Type a query here; Ctrl-Enter (or the play button) runs it,\n" +
    "# Ctrl-Space completes. The explorer on the left builds one from the schema.\n#\n" +
    "#     {\n#       field(arg: \"value\") {\n#         subField\n#       }\n#     }\n";

  // The query, variables and headers are kept in the URL, so a page can be shared.
  var parameters = {};
  window.location.search
    .slice(1)
    .split("&")
    .forEach(function (entry) {
      var eq = entry.indexOf("=");
      if (eq >= 0) {
        parameters[decodeURIComponent(entry.slice(0, eq))] = decodeURIComponent(
          entry.slice(eq + 1),
        );
      }
    });

  function updateURL(data) {
    Object.assign(parameters, data);
    var search = Object.keys(parameters)
      .filter(function (key) {
        return Boolean(parameters[key]);
      })
      .map(function (key) {
        return encodeURIComponent(key) + "=" + encodeURIComponent(parameters[key]);
      })
      .join("&");
    history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  function cookie(name) {
    var prefix = name + "=";
    var found = document.cookie.split("; ").filter(function (part) {
      return part.indexOf(prefix) === 0;
    })[0];
    return found ? decodeURIComponent(found.slice(prefix.length)) : null;
  }

  var url = window.location.href.split("?")[0].split("#")[0];
  var headers = {};
  var token = cookie(root.dataset.csrfCookie);
  if (token) {
    headers[root.dataset.csrfHeader] = token; // mutations sent with the session cookie
  }
  // Subscriptions over the WebSocket of wrap_asgi(), at the same path; opened only when one runs.
  var socket = new URL(url);
  socket.protocol = socket.protocol === "https:" ? "wss:" : "ws:";
  var fetcher = GraphiQL.createFetcher({
    url: url,
    headers: headers,
    subscriptionUrl: socket.toString(),
  });
  var explorer = GraphiQLPluginExplorer.explorerPlugin();

  function Page() {
    var query = React.useState(parameters.query || EXAMPLE_QUERY);
    var variables = React.useState(parameters.variables);
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      plugins: [explorer],
      query: query[0],
      variables: variables[0],
      onEditQuery: function (value) {
        query[1](value);
        updateURL({ query: value });
      },
      onEditVariables: function (value) {
        variables[1](value);
        updateURL({ variables: value });
      },
      defaultEditorToolsVisibility: true,
      inputValueDeprecation: true,
      isHeadersEditorEnabled: true,
    });
  }

  ReactDOM.createRoot(root).render(React.createElement(Page));
})();
