// The two names @jupyterlab/services' kernel connection takes from the package's index
// (see build.mjs), from their own modules, so the other services stay out of the page.
export { ServerConnection } from "@jupyterlab/services/lib/serverconnection";
export { CommsOverSubshells } from "@jupyterlab/services/lib/kernel/comm";
