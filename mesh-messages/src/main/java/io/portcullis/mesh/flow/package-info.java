/** Flow records: one per decision on traffic, shared by node-agent and the L7 proxies. */
package io.portcullis.mesh.flow;
