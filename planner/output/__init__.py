"""planner/output"""
