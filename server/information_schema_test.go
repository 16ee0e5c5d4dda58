package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The relations of information_schema and the session views of
// pg_catalog describe their columns as PostgreSQL 15 does: names, order,
// type OIDs and modifiers (a domain of information_schema as its base
// type, as RowDescription reports it). The expectations were read from
// PostgreSQL 15's pg_attribute.
func TestInformationSchemaRowDescription(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	for _, want := range []struct{ schema, name, columns string }{
		{"information_schema", "applicable_roles", "grantee:19:-1,role_name:19:-1,is_grantable:1043:7"},
		{"information_schema", "character_sets", "character_set_catalog:19:-1,character_set_schema:19:-1,character_set_name:19:-1,character_repertoire:19:-1,form_of_use:19:-1,default_collate_catalog:19:-1,default_collate_schema:19:-1,default_collate_name:19:-1"},
		{"information_schema", "check_constraints", "constraint_catalog:19:-1,constraint_schema:19:-1,constraint_name:19:-1,check_clause:1043:-1"},
		{"information_schema", "columns", "table_catalog:19:-1,table_schema:19:-1,table_name:19:-1,column_name:19:-1,ordinal_position:23:-1,column_default:1043:-1,is_nullable:1043:7,data_type:1043:-1,character_maximum_length:23:-1,character_octet_length:23:-1,numeric_precision:23:-1,numeric_precision_radix:23:-1,numeric_scale:23:-1,datetime_precision:23:-1,interval_type:1043:-1,interval_precision:23:-1,character_set_catalog:19:-1,character_set_schema:19:-1,character_set_name:19:-1,collation_catalog:19:-1,collation_schema:19:-1,collation_name:19:-1,domain_catalog:19:-1,domain_schema:19:-1,domain_name:19:-1,udt_catalog:19:-1,udt_schema:19:-1,udt_name:19:-1,scope_catalog:19:-1,scope_schema:19:-1,scope_name:19:-1,maximum_cardinality:23:-1,dtd_identifier:19:-1,is_self_referencing:1043:7,is_identity:1043:7,identity_generation:1043:-1,identity_start:1043:-1,identity_increment:1043:-1,identity_maximum:1043:-1,identity_minimum:1043:-1,identity_cycle:1043:7,is_generated:1043:-1,generation_expression:1043:-1,is_updatable:1043:7"},
		{"information_schema", "constraint_column_usage", "table_catalog:19:-1,table_schema:19:-1,table_name:19:-1,column_name:19:-1,constraint_catalog:19:-1,constraint_schema:19:-1,constraint_name:19:-1"},
		{"information_schema", "constraint_table_usage", "table_catalog:19:-1,table_schema:19:-1,table_name:19:-1,constraint_catalog:19:-1,constraint_schema:19:-1,constraint_name:19:-1"},
		{"information_schema", "column_privileges", "grantor:19:-1,grantee:19:-1,table_catalog:19:-1,table_schema:19:-1,table_name:19:-1,column_name:19:-1,privilege_type:1043:-1,is_grantable:1043:7"},
		{"information_schema", "domains", "domain_catalog:19:-1,domain_schema:19:-1,domain_name:19:-1,data_type:1043:-1,character_maximum_length:23:-1,character_octet_length:23:-1,character_set_catalog:19:-1,character_set_schema:19:-1,character_set_name:19:-1,collation_catalog:19:-1,collation_schema:19:-1,collation_name:19:-1,numeric_precision:23:-1,numeric_precision_radix:23:-1,numeric_scale:23:-1,datetime_precision:23:-1,interval_type:1043:-1,interval_precision:23:-1,domain_default:1043:-1,udt_catalog:19:-1,udt_schema:19:-1,udt_name:19:-1,scope_catalog:19:-1,scope_schema:19:-1,scope_name:19:-1,maximum_cardinality:23:-1,dtd_identifier:19:-1"},
		{"information_schema", "table_privileges", "grantor:19:-1,grantee:19:-1,table_catalog:19:-1,table_schema:19:-1,table_name:19:-1,privilege_type:1043:-1,is_grantable:1043:7,with_hierarchy:1043:7"},
		{"information_schema", "triggers", "trigger_catalog:19:-1,trigger_schema:19:-1,trigger_name:19:-1,event_manipulation:1043:-1,event_object_catalog:19:-1,event_object_schema:19:-1,event_object_table:19:-1,action_order:23:-1,action_condition:1043:-1,action_statement:1043:-1,action_orientation:1043:-1,action_timing:1043:-1,action_reference_old_table:19:-1,action_reference_new_table:19:-1,action_reference_old_row:19:-1,action_reference_new_row:19:-1,created:1184:2"},
		{"information_schema", "enabled_roles", "role_name:19:-1"},
		{"information_schema", "information_schema_catalog_name", "catalog_name:19:-1"},
		{"information_schema", "key_column_usage", "constraint_catalog:19:-1,constraint_schema:19:-1,constraint_name:19:-1,table_catalog:19:-1,table_schema:19:-1,table_name:19:-1,column_name:19:-1,ordinal_position:23:-1,position_in_unique_constraint:23:-1"},
		{"information_schema", "parameters", "specific_catalog:19:-1,specific_schema:19:-1,specific_name:19:-1,ordinal_position:23:-1,parameter_mode:1043:-1,is_result:1043:7,as_locator:1043:7,parameter_name:19:-1,data_type:1043:-1,character_maximum_length:23:-1,character_octet_length:23:-1,character_set_catalog:19:-1,character_set_schema:19:-1,character_set_name:19:-1,collation_catalog:19:-1,collation_schema:19:-1,collation_name:19:-1,numeric_precision:23:-1,numeric_precision_radix:23:-1,numeric_scale:23:-1,datetime_precision:23:-1,interval_type:1043:-1,interval_precision:23:-1,udt_catalog:19:-1,udt_schema:19:-1,udt_name:19:-1,scope_catalog:19:-1,scope_schema:19:-1,scope_name:19:-1,maximum_cardinality:23:-1,dtd_identifier:19:-1,parameter_default:1043:-1"},
		{"information_schema", "referential_constraints", "constraint_catalog:19:-1,constraint_schema:19:-1,constraint_name:19:-1,unique_constraint_catalog:19:-1,unique_constraint_schema:19:-1,unique_constraint_name:19:-1,match_option:1043:-1,update_rule:1043:-1,delete_rule:1043:-1"},
		{"information_schema", "role_table_grants", "grantor:19:-1,grantee:19:-1,table_catalog:19:-1,table_schema:19:-1,table_name:19:-1,privilege_type:1043:-1,is_grantable:1043:7,with_hierarchy:1043:7"},
		{"information_schema", "routines", "specific_catalog:19:-1,specific_schema:19:-1,specific_name:19:-1,routine_catalog:19:-1,routine_schema:19:-1,routine_name:19:-1,routine_type:1043:-1,module_catalog:19:-1,module_schema:19:-1,module_name:19:-1,udt_catalog:19:-1,udt_schema:19:-1,udt_name:19:-1,data_type:1043:-1,character_maximum_length:23:-1,character_octet_length:23:-1,character_set_catalog:19:-1,character_set_schema:19:-1,character_set_name:19:-1,collation_catalog:19:-1,collation_schema:19:-1,collation_name:19:-1,numeric_precision:23:-1,numeric_precision_radix:23:-1,numeric_scale:23:-1,datetime_precision:23:-1,interval_type:1043:-1,interval_precision:23:-1,type_udt_catalog:19:-1,type_udt_schema:19:-1,type_udt_name:19:-1,scope_catalog:19:-1,scope_schema:19:-1,scope_name:19:-1,maximum_cardinality:23:-1,dtd_identifier:19:-1,routine_body:1043:-1,routine_definition:1043:-1,external_name:1043:-1,external_language:1043:-1,parameter_style:1043:-1,is_deterministic:1043:7,sql_data_access:1043:-1,is_null_call:1043:7,sql_path:1043:-1,schema_level_routine:1043:7,max_dynamic_result_sets:23:-1,is_user_defined_cast:1043:7,is_implicitly_invocable:1043:7,security_type:1043:-1,to_sql_specific_catalog:19:-1,to_sql_specific_schema:19:-1,to_sql_specific_name:19:-1,as_locator:1043:7,created:1184:2,last_altered:1184:2,new_savepoint_level:1043:7,is_udt_dependent:1043:7,result_cast_from_data_type:1043:-1,result_cast_as_locator:1043:7,result_cast_char_max_length:23:-1,result_cast_char_octet_length:23:-1,result_cast_char_set_catalog:19:-1,result_cast_char_set_schema:19:-1,result_cast_char_set_name:19:-1,result_cast_collation_catalog:19:-1,result_cast_collation_schema:19:-1,result_cast_collation_name:19:-1,result_cast_numeric_precision:23:-1,result_cast_numeric_precision_radix:23:-1,result_cast_numeric_scale:23:-1,result_cast_datetime_precision:23:-1,result_cast_interval_type:1043:-1,result_cast_interval_precision:23:-1,result_cast_type_udt_catalog:19:-1,result_cast_type_udt_schema:19:-1,result_cast_type_udt_name:19:-1,result_cast_scope_catalog:19:-1,result_cast_scope_schema:19:-1,result_cast_scope_name:19:-1,result_cast_maximum_cardinality:23:-1,result_cast_dtd_identifier:19:-1"},
		{"information_schema", "schemata", "catalog_name:19:-1,schema_name:19:-1,schema_owner:19:-1,default_character_set_catalog:19:-1,default_character_set_schema:19:-1,default_character_set_name:19:-1,sql_path:1043:-1"},
		{"information_schema", "sequences", "sequence_catalog:19:-1,sequence_schema:19:-1,sequence_name:19:-1,data_type:1043:-1,numeric_precision:23:-1,numeric_precision_radix:23:-1,numeric_scale:23:-1,start_value:1043:-1,minimum_value:1043:-1,maximum_value:1043:-1,increment:1043:-1,cycle_option:1043:7"},
		{"information_schema", "table_constraints", "constraint_catalog:19:-1,constraint_schema:19:-1,constraint_name:19:-1,table_catalog:19:-1,table_schema:19:-1,table_name:19:-1,constraint_type:1043:-1,is_deferrable:1043:7,initially_deferred:1043:7,enforced:1043:7,nulls_distinct:1043:7"},
		{"information_schema", "tables", "table_catalog:19:-1,table_schema:19:-1,table_name:19:-1,table_type:1043:-1,self_referencing_column_name:19:-1,reference_generation:1043:-1,user_defined_type_catalog:19:-1,user_defined_type_schema:19:-1,user_defined_type_name:19:-1,is_insertable_into:1043:7,is_typed:1043:7,commit_action:1043:-1"},
		{"information_schema", "views", "table_catalog:19:-1,table_schema:19:-1,table_name:19:-1,view_definition:1043:-1,check_option:1043:-1,is_updatable:1043:7,is_insertable_into:1043:7,is_trigger_updatable:1043:7,is_trigger_deletable:1043:7,is_trigger_insertable_into:1043:7"},
		{"pg_catalog", "pg_cursors", "name:25:-1,statement:25:-1,is_holdable:16:-1,is_binary:16:-1,is_scrollable:16:-1,creation_time:1184:-1"},
		{"pg_catalog", "pg_indexes", "schemaname:19:-1,tablename:19:-1,indexname:19:-1,tablespace:19:-1,indexdef:25:-1"},
		{"pg_catalog", "pg_matviews", "schemaname:19:-1,matviewname:19:-1,matviewowner:19:-1,tablespace:19:-1,hasindexes:16:-1,ispopulated:16:-1,definition:25:-1"},
		{"pg_catalog", "pg_policies", "schemaname:19:-1,tablename:19:-1,policyname:19:-1,permissive:25:-1,roles:1003:-1,cmd:25:-1,qual:25:-1,with_check:25:-1"},
		{"pg_catalog", "pg_roles", "rolname:19:-1,rolsuper:16:-1,rolinherit:16:-1,rolcreaterole:16:-1,rolcreatedb:16:-1,rolcanlogin:16:-1,rolreplication:16:-1,rolconnlimit:23:-1,rolpassword:25:-1,rolvaliduntil:1184:-1,rolbypassrls:16:-1,rolconfig:1009:-1,oid:26:-1"},
		{"pg_catalog", "pg_rules", "schemaname:19:-1,tablename:19:-1,rulename:19:-1,definition:25:-1"},
		{"pg_catalog", "pg_settings", "name:25:-1,setting:25:-1,unit:25:-1,category:25:-1,short_desc:25:-1,extra_desc:25:-1,context:25:-1,vartype:25:-1,source:25:-1,min_val:25:-1,max_val:25:-1,enumvals:1009:-1,boot_val:25:-1,reset_val:25:-1,sourcefile:25:-1,sourceline:23:-1,pending_restart:16:-1"},
		{"pg_catalog", "pg_stat_all_tables", "relid:26:-1,schemaname:19:-1,relname:19:-1,seq_scan:20:-1,seq_tup_read:20:-1,idx_scan:20:-1,idx_tup_fetch:20:-1,n_tup_ins:20:-1,n_tup_upd:20:-1,n_tup_del:20:-1,n_tup_hot_upd:20:-1,n_live_tup:20:-1,n_dead_tup:20:-1,n_mod_since_analyze:20:-1,n_ins_since_vacuum:20:-1,last_vacuum:1184:-1,last_autovacuum:1184:-1,last_analyze:1184:-1,last_autoanalyze:1184:-1,vacuum_count:20:-1,autovacuum_count:20:-1,analyze_count:20:-1,autoanalyze_count:20:-1"},
		{"pg_catalog", "pg_stat_all_indexes", "relid:26:-1,indexrelid:26:-1,schemaname:19:-1,relname:19:-1,indexrelname:19:-1,idx_scan:20:-1,idx_tup_read:20:-1,idx_tup_fetch:20:-1"},
		{"pg_catalog", "pg_stat_user_indexes", "relid:26:-1,indexrelid:26:-1,schemaname:19:-1,relname:19:-1,indexrelname:19:-1,idx_scan:20:-1,idx_tup_read:20:-1,idx_tup_fetch:20:-1"},
		{"pg_catalog", "pg_statio_all_tables", "relid:26:-1,schemaname:19:-1,relname:19:-1,heap_blks_read:20:-1,heap_blks_hit:20:-1,idx_blks_read:20:-1,idx_blks_hit:20:-1,toast_blks_read:20:-1,toast_blks_hit:20:-1,tidx_blks_read:20:-1,tidx_blks_hit:20:-1"},
		{"pg_catalog", "pg_statio_user_tables", "relid:26:-1,schemaname:19:-1,relname:19:-1,heap_blks_read:20:-1,heap_blks_hit:20:-1,idx_blks_read:20:-1,idx_blks_hit:20:-1,toast_blks_read:20:-1,toast_blks_hit:20:-1,tidx_blks_read:20:-1,tidx_blks_hit:20:-1"},
		{"pg_catalog", "pg_stat_database", "datid:26:-1,datname:19:-1,numbackends:23:-1,xact_commit:20:-1,xact_rollback:20:-1,blks_read:20:-1,blks_hit:20:-1,tup_returned:20:-1,tup_fetched:20:-1,tup_inserted:20:-1,tup_updated:20:-1,tup_deleted:20:-1,conflicts:20:-1,temp_files:20:-1,temp_bytes:20:-1,deadlocks:20:-1,checksum_failures:20:-1,checksum_last_failure:1184:-1,blk_read_time:701:-1,blk_write_time:701:-1,session_time:701:-1,active_time:701:-1,idle_in_transaction_time:701:-1,sessions:20:-1,sessions_abandoned:20:-1,sessions_fatal:20:-1,sessions_killed:20:-1,stats_reset:1184:-1"},
		{"pg_catalog", "pg_stat_user_tables", "relid:26:-1,schemaname:19:-1,relname:19:-1,seq_scan:20:-1,seq_tup_read:20:-1,idx_scan:20:-1,idx_tup_fetch:20:-1,n_tup_ins:20:-1,n_tup_upd:20:-1,n_tup_del:20:-1,n_tup_hot_upd:20:-1,n_live_tup:20:-1,n_dead_tup:20:-1,n_mod_since_analyze:20:-1,n_ins_since_vacuum:20:-1,last_vacuum:1184:-1,last_autovacuum:1184:-1,last_analyze:1184:-1,last_autoanalyze:1184:-1,vacuum_count:20:-1,autovacuum_count:20:-1,analyze_count:20:-1,autoanalyze_count:20:-1"},
		{"pg_catalog", "pg_timezone_names", "name:25:-1,abbrev:25:-1,utc_offset:1186:-1,is_dst:16:-1"},
		{"pg_catalog", "pg_user", "usename:19:-1,usesysid:26:-1,usecreatedb:16:-1,usesuper:16:-1,userepl:16:-1,usebypassrls:16:-1,passwd:25:-1,valuntil:1184:-1,useconfig:1009:-1"},
		{"pg_catalog", "pg_views", "schemaname:19:-1,viewname:19:-1,viewowner:19:-1,definition:25:-1"},
	} {
		rows, err := conn.Query(ctx(t), fmt.Sprintf("SELECT * FROM %s.%s LIMIT 0", want.schema, want.name))
		if err != nil {
			t.Fatalf("%s.%s: %v", want.schema, want.name, err)
		}
		var got []string
		for _, f := range rows.FieldDescriptions() {
			got = append(got, fmt.Sprintf("%s:%d:%d", f.Name, f.DataTypeOID, f.TypeModifier))
		}
		rows.Close()
		if g := strings.Join(got, ","); g != want.columns {
			t.Errorf("%s.%s:\n got %s\nwant %s", want.schema, want.name, g, want.columns)
		}
	}
}

// pg_stat_activity lists the server's sessions: each with its process
// id, user, application and client address, the running session as
// active in its statement, the others idle (or idle in a transaction
// block) with the statement they ran last; a closed session is gone.
func TestPgStatActivity(t *testing.T) {
	srv, connect := startServer(t)
	conn := connect(t)
	other, err := pgx.Connect(ctx(t), "postgres://tester@"+srv.Addr()+"/pqdb?sslmode=disable&application_name=isx_other")
	if err != nil {
		t.Fatal(err)
	}
	var otherPID int32
	if err := other.QueryRow(ctx(t), "SELECT pg_backend_pid()").Scan(&otherPID); err != nil {
		t.Fatal(err)
	}
	mustExec(t, other, "BEGIN", "SELECT 42")

	const self = "SELECT pid = pg_backend_pid(), datname, usename, application_name, client_addr, client_port > 0, backend_start <= now(), state, query, backend_type FROM pg_stat_activity ORDER BY pid = pg_backend_pid() DESC"
	got := rowsText(t, conn, self)
	if len(got) != 2 {
		t.Fatalf("pg_stat_activity has %d rows, want 2: %v", len(got), got)
	}
	want := []string{"t", "pqdb", "tester", "", "127.0.0.1", "t", "t", "active", self, "client backend"}
	if strings.Join(got[0], "|") != strings.Join(want, "|") {
		t.Errorf("own session:\n got %v\nwant %v", got[0], want)
	}
	want = []string{"f", "pqdb", "tester", "isx_other", "127.0.0.1", "t", "t", "idle in transaction", "SELECT 42", "client backend"}
	if strings.Join(got[1], "|") != strings.Join(want, "|") {
		t.Errorf("other session:\n got %v\nwant %v", got[1], want)
	}
	var xactOpen bool
	if err := conn.QueryRow(ctx(t), "SELECT xact_start IS NOT NULL FROM pg_stat_activity WHERE pid = $1", otherPID).Scan(&xactOpen); err != nil || !xactOpen {
		t.Errorf("the other session's xact_start: %v, %v", xactOpen, err)
	}

	mustExec(t, other, "COMMIT")
	got = rowsText(t, conn, "SELECT state, query, xact_start IS NULL FROM pg_stat_activity WHERE pid <> pg_backend_pid()")
	if len(got) != 1 || strings.Join(got[0], "|") != "idle|COMMIT|t" {
		t.Errorf("after COMMIT: %v", got)
	}
	other.Close(ctx(t))
	// The server ends the session once it reads the Terminate message.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		got = rowsText(t, conn, "SELECT count(*) FROM pg_stat_activity")
		if got[0][0] == "1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the other session closed, pg_stat_activity has %s rows", got[0][0])
		}
	}
	got = rowsText(t, conn, "SELECT numbackends FROM pg_stat_database WHERE datname = current_database()")
	if len(got) != 1 || got[0][0] != "1" {
		t.Errorf("pg_stat_database's numbackends: %v", got)
	}
}

// pg_settings shows where a setting's value came from: the default, the
// connection's startup packet (client), or SET (session), and what RESET
// returns to.
func TestPgSettingsSources(t *testing.T) {
	srv, _ := startServer(t)
	conn, err := pgx.Connect(ctx(t), "postgres://tester@"+srv.Addr()+"/pqdb?sslmode=disable&application_name=isx")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx(t))
	mustExec(t, conn, "SET extra_float_digits = 2")
	got := rowsText(t, conn, "SELECT name, setting, source, boot_val, reset_val FROM pg_settings WHERE name IN ('application_name', 'extra_float_digits', 'lock_timeout') ORDER BY name")
	want := "application_name|isx|client||isx;extra_float_digits|2|session|1|1;lock_timeout|0|default|0|0"
	var lines []string
	for _, r := range got {
		lines = append(lines, strings.Join(r, "|"))
	}
	if g := strings.Join(lines, ";"); g != want {
		t.Errorf("pg_settings:\n got %s\nwant %s", g, want)
	}
	// What PostgreSQL hides from pg_settings (GUC_NO_SHOW_ALL).
	if got := rowsText(t, conn, "SELECT count(*) FROM pg_settings WHERE name IN ('is_superuser', 'session_authorization')"); got[0][0] != "0" {
		t.Errorf("pg_settings lists %s hidden settings", got[0][0])
	}
}

// A session's temporary tables are LOCAL TEMPORARY in its
// information_schema, and other sessions do not see them there.
func TestInformationSchemaTempTables(t *testing.T) {
	_, connect := startServer(t)
	conn, other := connect(t), connect(t)
	mustExec(t, conn, "CREATE TEMP TABLE ist_tmp (a int)")
	const q = "SELECT table_type, commit_action IS NULL, (SELECT count(*) FROM information_schema.columns c WHERE c.table_name = t.table_name) FROM information_schema.tables t WHERE table_name = 'ist_tmp'"
	if got := rowsText(t, conn, q); len(got) != 1 || strings.Join(got[0], "|") != "LOCAL TEMPORARY|t|1" {
		t.Errorf("own temporary table: %v", got)
	}
	if got := rowsText(t, other, q); len(got) != 0 {
		t.Errorf("another session's temporary table is listed: %v", got)
	}
}
