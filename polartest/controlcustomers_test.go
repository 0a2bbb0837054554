package polartest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/polarsessions/polarsessions-go/polartest"
)

func TestControlCustomers(t *testing.T) {
	srv, _ := start(t, polartest.WithControlAPI())
	c := newHTTPClient(t)
	resp := control(t, c, srv, http.MethodPost, "customers", `{"type": "team", "external_id": "team_1", "name": "Engines",
		"members": [{"id": "`+seedMemberID+`", "external_id": "mem_1", "email": "grace@example.com", "role": "owner"}, {}]}`)
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	got := decodeJSON(t, resp.body)
	id := got["id"].(string)
	assert.Equal(t, map[string]any{"id": id, "external_id": "team_1", "email": nil, "type": "team", "name": "Engines",
		"members": []any{
			map[string]any{"id": seedMemberID, "external_id": "mem_1", "email": "grace@example.com", "name": nil, "role": "owner"},
			map[string]any{"id": srv.Members(id)[1].ID, "external_id": nil, "email": srv.Members(id)[1].Email, "name": nil, "role": "member"},
		}}, got)
	assert.Equal(t, http.StatusCreated, create(t, c, srv, `{"external_customer_id":"team_1","external_member_id":"mem_1"}`).status)

	resp = control(t, c, srv, http.MethodPost, "customers/"+id+"/members", `{"external_id": "mem_2", "email": "ada@example.com", "name": "Ada"}`)
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	member := decodeJSON(t, resp.body)
	assert.Equal(t, "mem_2", member["external_id"])
	assert.Equal(t, "Ada", member["name"])
	assert.Len(t, srv.Members(id), 3, "the Go API sees what the control API added")

	// Deletes are the Go API's, soft.
	assert.Equal(t, http.StatusNoContent, control(t, c, srv, http.MethodDelete, "members/"+member["id"].(string), "").status)
	assert.Len(t, srv.Members(id), 2)
	resp = control(t, c, srv, http.MethodDelete, "members/"+seedMemberID, "")
	assert.Equal(t, http.StatusConflict, resp.status)
	assert.Equal(t, "id: member "+seedMemberID+" is the owner of customer "+id+", which Polar refuses to delete", controlError(t, resp))
	assert.Equal(t, http.StatusNoContent, control(t, c, srv, http.MethodDelete, "customers/"+strings.ToUpper(id), "").status)
	assert.Equal(t, http.StatusUnprocessableEntity, create(t, c, srv, `{"external_customer_id":"team_1","external_member_id":"mem_1"}`).status)
	resp = control(t, c, srv, http.MethodDelete, "customers/"+id, "")
	assert.Equal(t, http.StatusNotFound, resp.status, "deleted already")
	assert.Equal(t, "id: no customer "+id, controlError(t, resp))
	assert.Len(t, srv.Requests(), 2, "the creates only: control requests are not recorded")
}
