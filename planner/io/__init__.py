"""planner/io"""
